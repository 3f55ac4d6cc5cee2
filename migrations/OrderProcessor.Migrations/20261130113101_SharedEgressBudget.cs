using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <inheritdoc />
    public partial class SharedEgressBudget : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "egress_budget_members",
                columns: table => new
                {
                    egress_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_egress_budget_members", x => new { x.egress_key, x.member_id });
                });

            migrationBuilder.CreateTable(
                name: "egress_budget_state",
                columns: table => new
                {
                    egress_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    pause_epoch = table.Column<long>(type: "bigint", nullable: false),
                    paused_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    probe_owner = table.Column<Guid>(type: "uuid", nullable: false),
                    ramp_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_egress_budget_state", x => x.egress_key);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "egress_budget_members");

            migrationBuilder.DropTable(
                name: "egress_budget_state");
        }
    }
}
