using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <inheritdoc />
    public partial class OrderIndexesThatServeAQuery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_parent_order_id",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_submitted_with_order_id",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_submitted_with_order_id",
                table: "orders",
                column: "submitted_with_order_id",
                filter: "submitted_with_order_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_submitted_with_order_id",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_parent_order_id",
                table: "orders",
                column: "parent_order_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_submitted_with_order_id",
                table: "orders",
                column: "submitted_with_order_id");
        }
    }
}
