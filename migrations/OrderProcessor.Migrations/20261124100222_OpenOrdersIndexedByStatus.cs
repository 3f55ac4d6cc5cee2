using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <inheritdoc />
    public partial class OpenOrdersIndexedByStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_user_id_status",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_status_user_id",
                table: "orders",
                columns: new[] { "status", "user_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_status_user_id",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_user_id_status",
                table: "orders",
                columns: new[] { "user_id", "status" });
        }
    }
}
