using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <inheritdoc />
    public partial class UpstreamGrantsAndInboxContentHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "content_hash",
                table: "inbox_messages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "upstream",
                table: "early_cancels",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "upstream_grants",
                columns: table => new
                {
                    upstream = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    user_pattern = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    account_pattern = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    granted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_upstream_grants", x => new { x.upstream, x.user_pattern, x.account_pattern });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "upstream_grants");

            migrationBuilder.DropColumn(
                name: "content_hash",
                table: "inbox_messages");

            migrationBuilder.DropColumn(
                name: "upstream",
                table: "early_cancels");
        }
    }
}
