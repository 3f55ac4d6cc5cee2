using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <inheritdoc />
    public partial class OrderLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "request_id",
                table: "outbox_messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "response_address",
                table: "outbox_messages",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "broker_status",
                table: "orders",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cancel_reason",
                table: "orders",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "cancel_requested",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "correlation_id",
                table: "orders",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "pending_modification",
                table: "orders",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "reconcile_misses",
                table: "orders",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "submitted_with_order_id",
                table: "orders",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "work_attempts",
                table: "orders",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "work_due",
                table: "orders",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "work_due_at",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_submitted_with_order_id",
                table: "orders",
                column: "submitted_with_order_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_work_due_at",
                table: "orders",
                column: "work_due_at",
                filter: "work_due <> 'None'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_submitted_with_order_id",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_work_due_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "request_id",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "response_address",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "broker_status",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "cancel_reason",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "cancel_requested",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "correlation_id",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "pending_modification",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "reconcile_misses",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "submitted_with_order_id",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "work_attempts",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "work_due",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "work_due_at",
                table: "orders");
        }
    }
}
