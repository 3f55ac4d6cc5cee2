using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderProcessor.Migrations
{
    /// <inheritdoc />
    public partial class LeaseEpochIsAKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_user_session_leases_user_id_epoch",
                table: "user_session_leases",
                columns: new[] { "user_id", "epoch" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_user_session_leases_user_id_epoch",
                table: "user_session_leases");
        }
    }
}
