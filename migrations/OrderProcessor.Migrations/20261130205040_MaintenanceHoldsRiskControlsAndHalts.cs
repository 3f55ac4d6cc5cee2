using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <inheritdoc />
    public partial class MaintenanceHoldsRiskControlsAndHalts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "held_since",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "hold_until",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "reference_check",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "risk_max_notional",
                table: "orders",
                type: "numeric",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "risk_price_band_percent",
                table: "orders",
                type: "numeric",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "risk_limits",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scope_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    max_quantity = table.Column<decimal>(type: "numeric", nullable: true),
                    max_notional = table.Column<decimal>(type: "numeric", nullable: true),
                    max_orders_per_second = table.Column<int>(type: "integer", nullable: true),
                    max_orders_per_minute = table.Column<int>(type: "integer", nullable: true),
                    max_working_orders_per_contract_side = table.Column<int>(type: "integer", nullable: true),
                    duplicate_window = table.Column<TimeSpan>(type: "interval", nullable: true),
                    price_band_percent = table.Column<decimal>(type: "numeric", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_risk_limits", x => new { x.scope, x.scope_key });
                });

            migrationBuilder.CreateTable(
                name: "risk_rate_buckets",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scope_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    period = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    tokens = table.Column<double>(type: "double precision", nullable: false),
                    refilled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_risk_rate_buckets", x => new { x.scope, x.scope_key, x.period });
                });

            migrationBuilder.CreateTable(
                name: "trading_halts",
                columns: table => new
                {
                    halt_id = table.Column<Guid>(type: "uuid", nullable: false),
                    scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scope_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    cancel_working = table.Column<bool>(type: "boolean", nullable: false),
                    halted_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    halted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cancel_swept_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resumed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resumed_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    resume_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trading_halts", x => x.halt_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_recent_by_account",
                table: "orders",
                columns: new[] { "account_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_working_by_contract",
                table: "orders",
                columns: new[] { "account_id", "conid", "side" },
                filter: "status IN ('Received', 'MarginChecking', 'MarginApproved', 'Held', 'Submitting', 'Submitted', 'Working', 'PartiallyFilled', 'PendingCancel', 'NeedsAttention')");

            migrationBuilder.CreateIndex(
                name: "ux_trading_halts_active",
                table: "trading_halts",
                columns: new[] { "scope", "scope_key" },
                unique: true,
                filter: "resumed_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "risk_limits");

            migrationBuilder.DropTable(
                name: "risk_rate_buckets");

            migrationBuilder.DropTable(
                name: "trading_halts");

            migrationBuilder.DropIndex(
                name: "ix_orders_recent_by_account",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_working_by_contract",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "held_since",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "hold_until",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "reference_check",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "risk_max_notional",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "risk_price_band_percent",
                table: "orders");
        }
    }
}
