using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <summary>
    /// The order-rate spend in the database, once for both ways of spending. <c>rate_spend</c> (Risk/RateBuckets reads it):
    /// every bucket refills at its capacity per period since its last spend (never above the capacity), a bucket that does
    /// not exist yet starts full (capacity - n), and all pay or none does; it returns the buckets paid, or the position of
    /// the first short one. Each bucket is looked up by key (LIMIT 1 keeps the planner from flattening it into a join: with
    /// a few hundred buckets it hashed the whole table for every order). A PL/pgSQL function, so its statement's plan is
    /// kept per connection, and under a generic plan: PostgreSQL cannot see the arrays' lengths, priced the generic plan
    /// above a custom one and planned the statement afresh for every order (0.42 ms of its CPU each).
    /// <c>spend_rate_tokens</c> is the same spend as a procedure, to run at the end of a save's own command
    /// (RateSpendInterceptor) instead of a round trip of its own before the decision: it returns no result set, and raises
    /// OPR01 when not every bucket paid, which aborts the transaction (the command is then decided again with the tokens
    /// spent first, and refused). A concurrent spender that emptied a bucket in between makes it raise too: nothing keeps
    /// a spend.
    /// </summary>
    public partial class RateSpendProcedure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION rate_spend(p_scopes text[], p_keys text[], p_periods text[],
                    p_capacities double precision[], p_n double precision, p_now timestamptz)
                RETURNS TABLE (paid_scope text, paid_key text, paid_period text, short_position bigint)
                LANGUAGE plpgsql
                SET plan_cache_mode = force_generic_plan
                AS $$
                BEGIN
                    RETURN QUERY
                    WITH wanted AS (
                        SELECT w.scope, w.scope_key, w.period, w.capacity, w.n AS position
                        FROM unnest(p_scopes, p_keys, p_periods, p_capacities) WITH ORDINALITY AS w(scope, scope_key, period, capacity, n)
                    ), short AS (
                        SELECT w.position
                        FROM wanted w
                        LEFT JOIN LATERAL (
                            SELECT s.tokens, s.refilled_at FROM risk_rate_buckets s
                            WHERE s.scope = w.scope AND s.scope_key = w.scope_key AND s.period = w.period
                            LIMIT 1
                        ) b ON true
                        WHERE CASE WHEN b.tokens IS NULL THEN w.capacity
                            ELSE LEAST(w.capacity, b.tokens + w.capacity / CASE WHEN w.period = 'second' THEN 1.0 ELSE 60.0 END
                                * GREATEST(0, EXTRACT(EPOCH FROM (p_now - b.refilled_at))::double precision)) END < p_n
                    ), paid AS (
                        INSERT INTO risk_rate_buckets AS b (scope, scope_key, period, tokens, refilled_at)
                        SELECT w.scope, w.scope_key, w.period, w.capacity - p_n, p_now
                        FROM wanted w
                        WHERE NOT EXISTS (SELECT 1 FROM short)
                        ON CONFLICT (scope, scope_key, period) DO UPDATE
                            SET tokens = LEAST(EXCLUDED.tokens + p_n,
                                    b.tokens + (EXCLUDED.tokens + p_n) / CASE WHEN b.period = 'second' THEN 1.0 ELSE 60.0 END
                                        * GREATEST(0, EXTRACT(EPOCH FROM (p_now - b.refilled_at))::double precision)) - p_n,
                                refilled_at = GREATEST(b.refilled_at, p_now)
                            WHERE LEAST(EXCLUDED.tokens + p_n,
                                    b.tokens + (EXCLUDED.tokens + p_n) / CASE WHEN b.period = 'second' THEN 1.0 ELSE 60.0 END
                                        * GREATEST(0, EXTRACT(EPOCH FROM (p_now - b.refilled_at))::double precision)) >= p_n
                        RETURNING b.scope, b.scope_key, b.period
                    )
                    SELECT p.scope::text, p.scope_key::text, p.period::text, NULL::bigint FROM paid p
                    UNION ALL
                    (SELECT NULL::text, NULL::text, NULL::text, s.position FROM short s ORDER BY s.position LIMIT 1);
                END
                $$;
                CREATE OR REPLACE PROCEDURE spend_rate_tokens(p_scopes text[], p_keys text[], p_periods text[],
                    p_capacities double precision[], p_n double precision, p_now timestamptz)
                LANGUAGE plpgsql
                AS $$
                DECLARE
                    v_paid integer;
                BEGIN
                    SELECT count(r.paid_scope) INTO v_paid FROM rate_spend(p_scopes, p_keys, p_periods, p_capacities, p_n, p_now) r;
                    IF v_paid < cardinality(p_scopes) THEN
                        RAISE EXCEPTION 'an order-rate bucket has fewer than % tokens', p_n USING ERRCODE = 'OPR01';
                    END IF;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP PROCEDURE IF EXISTS spend_rate_tokens(text[], text[], text[], double precision[], double precision, timestamptz);
                DROP FUNCTION IF EXISTS rate_spend(text[], text[], text[], double precision[], double precision, timestamptz);
                """);
        }
    }
}
