using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <summary>
    /// A function that raises OPC01, called by an order's update when it matched no row (the order changed since it was
    /// read): a save written as one command with no transaction of its own (OrderUpdateSave) commits at the end of the
    /// command unless a statement raised, and an update that matches nothing raises nothing by itself.
    /// </summary>
    public partial class OrderUpdateConflictFunction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION order_update_conflict(p_order_id uuid) RETURNS xid
                LANGUAGE plpgsql VOLATILE AS $$
                BEGIN
                    RAISE EXCEPTION 'order % changed since it was read', p_order_id USING ERRCODE = 'OPC01';
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS order_update_conflict(uuid);");
        }
    }
}
