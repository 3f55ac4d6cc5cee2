using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <inheritdoc />
    public partial class TraceParents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                table: "outbox_messages",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                table: "orders",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "orders");
        }
    }
}
