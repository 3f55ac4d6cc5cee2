using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "inbox_messages",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "orders",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_order_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    account_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    conid = table.Column<int>(type: "integer", nullable: true),
                    side = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    quantity = table.Column<decimal>(type: "numeric", nullable: true),
                    order_type = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    limit_price = table.Column<decimal>(type: "numeric", nullable: true),
                    stop_price = table.Column<decimal>(type: "numeric", nullable: true),
                    trailing_amount = table.Column<decimal>(type: "numeric", nullable: true),
                    trailing_unit = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    time_in_force = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    outside_regular_hours = table.Column<bool>(type: "boolean", nullable: false),
                    parent_order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    oca_group = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    margin_check = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    broker_order_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    filled_quantity = table.Column<decimal>(type: "numeric", nullable: false),
                    average_price = table.Column<decimal>(type: "numeric", nullable: true),
                    broker_status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    submitted_with_order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    work_due = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    work_due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    work_attempts = table.Column<int>(type: "integer", nullable: false),
                    reconcile_misses = table.Column<int>(type: "integer", nullable: false),
                    cancel_requested = table.Column<bool>(type: "boolean", nullable: false),
                    cancel_reason = table.Column<string>(type: "text", nullable: true),
                    pending_modification = table.Column<string>(type: "jsonb", nullable: true),
                    last_reason = table.Column<string>(type: "text", nullable: true),
                    command_fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    last_event_sequence = table.Column<long>(type: "bigint", nullable: false),
                    last_event_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orders", x => x.order_id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_sequence = table.Column<long>(type: "bigint", nullable: false),
                    message_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    body = table.Column<string>(type: "json", nullable: false),
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    causation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    response_address = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    trace_parent = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    previous_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "user_session_leases",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_session_leases", x => x.user_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_client_order_id",
                table: "orders",
                column: "client_order_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_parent_order_id",
                table: "orders",
                column: "parent_order_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_submitted_with_order_id",
                table: "orders",
                column: "submitted_with_order_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_user_id_status",
                table: "orders",
                columns: new[] { "user_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_work_due_at",
                table: "orders",
                column: "work_due_at",
                filter: "work_due <> 'None'");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_created_at",
                table: "outbox_messages",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_order_id_order_sequence",
                table: "outbox_messages",
                columns: new[] { "order_id", "order_sequence" },
                unique: true,
                filter: "order_sequence > 0");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished",
                table: "outbox_messages",
                column: "sequence",
                filter: "published_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished_by_order",
                table: "outbox_messages",
                columns: new[] { "order_id", "sequence" },
                filter: "published_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "orders");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "user_session_leases");
        }
    }
}
