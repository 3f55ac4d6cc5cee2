using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <inheritdoc />
    public partial class TicketFieldsOfIssue16 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "algo_parameters",
                table: "orders",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "algo_strategy",
                table: "orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "all_or_none",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "cash_quantity",
                table: "orders",
                type: "numeric",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "conidex",
                table: "orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "currency_conversion",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "listing_exchange",
                table: "orders",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "manual_indicator",
                table: "orders",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "security_type",
                table: "orders",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "use_adaptive",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "algo_parameters",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "algo_strategy",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "all_or_none",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "cash_quantity",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "conidex",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "currency_conversion",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "listing_exchange",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "manual_indicator",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "security_type",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "use_adaptive",
                table: "orders");
        }
    }
}
