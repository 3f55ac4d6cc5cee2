using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <summary>
    /// The outbox's events are never updated again: what the relay does with an event moves to <c>outbox_pending</c> (until
    /// it is published; a trigger adds the row with each new event) and <c>outbox_published</c> (after). Publishing used to
    /// rewrite each event row (about 800 bytes) and four index entries, about a third of the write-ahead log per order.
    /// Existing rows are moved before the columns go. The two new tables have no foreign keys on purpose: checking one
    /// would lock (and so rewrite) the event row on every insert into them.
    /// </summary>
    public partial class InsertOnlyOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_pending",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    parked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    park_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_pending", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "outbox_published",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_published", x => x.sequence);
                });

            migrationBuilder.Sql("""
                INSERT INTO outbox_pending (sequence, order_id, attempts, last_error, next_attempt_at, parked_at, park_reason)
                SELECT sequence, order_id, attempts, left(last_error, 2000), next_attempt_at, parked_at, park_reason
                FROM outbox_messages WHERE published_at IS NULL;

                INSERT INTO outbox_published (sequence, published_at, attempts)
                SELECT sequence, published_at, attempts FROM outbox_messages WHERE published_at IS NOT NULL;

                CREATE FUNCTION outbox_messages_pending() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO outbox_pending (sequence, order_id, attempts) VALUES (NEW.sequence, NEW.order_id, 0);
                    RETURN NULL;
                END
                $$;

                CREATE TRIGGER outbox_messages_pending AFTER INSERT ON outbox_messages
                FOR EACH ROW EXECUTE FUNCTION outbox_messages_pending();
                """);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_order_id_sequence",
                table: "outbox_pending",
                columns: new[] { "order_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_parked",
                table: "outbox_pending",
                column: "sequence",
                filter: "parked_at IS NOT NULL");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_parked",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unpublished",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unpublished_by_order",
                table: "outbox_messages");

            foreach (var column in new[] { "attempts", "last_error", "next_attempt_at", "park_reason", "parked_at", "published_at" })
            {
                migrationBuilder.DropColumn(name: column, table: "outbox_messages");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "outbox_messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "last_error",
                table: "outbox_messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_attempt_at",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "park_reason",
                table: "outbox_messages",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "parked_at",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "published_at",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.Sql("""
                DROP TRIGGER outbox_messages_pending ON outbox_messages;
                DROP FUNCTION outbox_messages_pending();

                UPDATE outbox_messages o SET published_at = p.published_at, attempts = p.attempts
                FROM outbox_published p WHERE p.sequence = o.sequence;

                UPDATE outbox_messages o SET attempts = p.attempts, last_error = p.last_error, next_attempt_at = p.next_attempt_at,
                    parked_at = p.parked_at, park_reason = p.park_reason
                FROM outbox_pending p WHERE p.sequence = o.sequence;
                """);

            migrationBuilder.DropTable(
                name: "outbox_pending");

            migrationBuilder.DropTable(
                name: "outbox_published");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_parked",
                table: "outbox_messages",
                column: "sequence",
                filter: "parked_at IS NOT NULL");

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
    }
}
