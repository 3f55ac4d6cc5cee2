using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <summary>
    /// The lease fence as a procedure, so that it can run at the end of a save's own command (LeaseFenceInterceptor)
    /// instead of a round trip of its own: it returns no result set, and raises OPL01 when the user's lease is not the
    /// caller's under that epoch by the database's clock. The row stays key-share-locked until the commit, as before.
    /// </summary>
    public partial class LeaseFenceProcedure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE PROCEDURE lease_fence(p_user_id text, p_owner text, p_epoch bigint)
                LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM 1 FROM user_session_leases
                    WHERE user_id = p_user_id AND owner = p_owner AND epoch = p_epoch AND expires_at > clock_timestamp()
                    FOR KEY SHARE;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'the lease of user % is not % under epoch %', p_user_id, p_owner, p_epoch
                            USING ERRCODE = 'OPL01';
                    END IF;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP PROCEDURE IF EXISTS lease_fence(text, text, bigint);");
        }
    }
}
