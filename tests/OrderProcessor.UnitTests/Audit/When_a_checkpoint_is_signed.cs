using System.Security.Cryptography;
using System.Text;
using OrderProcessor.Audit.Checkpoints;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Audit;

public sealed class When_a_checkpoint_is_signed(ITestOutputHelper output)
{
    // RFC 8032, section 7.1, TEST 1: the secret key, its public key and the signature of the empty message.
    private const string Rfc8032Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private const string Rfc8032Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private const string Rfc8032EmptySignature =
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    // The same key as OpenSSL writes it (PKCS#8 v1, RFC 8410) and its public key (SubjectPublicKeyInfo).
    private static readonly string Rfc8032Pem = new(PemEncoding.Write("PRIVATE KEY", Convert.FromHexString("302e020100300506032b657004220420" + Rfc8032Seed)));
    private static readonly string Rfc8032PublicPem = new(PemEncoding.Write("PUBLIC KEY", Convert.FromHexString("302a300506032b6570032100" + Rfc8032Public)));

    private static CheckpointDigest.Result Digest() => new(new string('d', 64), 3, 1);

    [Fact]
    public void Should_sign_as_rfc_8032_says_with_a_key_read_from_openssl_pem()
    {
        var key = CheckpointSigningKey.FromPem(Rfc8032Pem);
        var signature = Convert.ToHexStringLower(key.Sign([]));
        output.WriteLine($"signature of the empty message: {signature}");
        output.WriteLine($"key id: {key.KeyId}");

        Assert.Equal(Rfc8032EmptySignature, signature);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(Rfc8032Public)))[..16], key.KeyId);
        Assert.Equal(Rfc8032PublicPem.Trim(), key.PublicKey.ToPem().Trim());
        Assert.Equal(Rfc8032Pem.Trim(), key.ToPem().Trim());
        Assert.Equal(key.KeyId, CheckpointVerifyingKey.FromPem(Rfc8032PublicPem).KeyId);
    }

    [Fact]
    public void Should_sign_the_documented_payload_and_verify_with_the_public_key_only()
    {
        var key = CheckpointSigningKey.FromPem(Rfc8032Pem);
        var checkpoint = AuditCheckpoint.Sign(key, 42, Digest(), new DateTimeOffset(2026, 11, 30, 14, 0, 0, 123, TimeSpan.Zero).AddTicks(4560));
        output.WriteLine(checkpoint.ToJsonLine());

        Assert.Equal(
            "OrderProcessor audit checkpoint v1\nsequence:42\nchains:3\nstandalone:1\ndigest:" + new string('d', 64) +
            "\ntakenAt:2026-11-30T14:00:00.123456Z\nkeyId:" + key.KeyId + "\n",
            checkpoint.SignedPayload());
        var publicKey = CheckpointVerifyingKey.FromPem(Rfc8032PublicPem);
        Assert.Null(CheckpointAuditor.SignatureProblem(checkpoint, publicKey));
        Assert.Equal(checkpoint, AuditCheckpoint.Parse(checkpoint.ToJsonLine()));
        Assert.StartsWith("{\"version\":1,\"sequence\":42,\"chains\":3,\"standalone\":1,\"digest\":\"", checkpoint.ToJsonLine(), StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<AuditCheckpoint, AuditCheckpoint>> Forgeries => new()
    {
        { "a later sequence", c => c with { Sequence = c.Sequence + 1 } },
        { "another digest", c => c with { Digest = new string('e', 64) } },
        { "fewer chains", c => c with { Chains = c.Chains - 1 } },
        { "another time", c => c with { TakenAt = c.TakenAt.Replace("14:00", "15:00", StringComparison.Ordinal) } },
        { "a signature of another checkpoint", c => c with { Signature = AuditCheckpoint.Sign(CheckpointSigningKey.FromPem(Rfc8032Pem), 1, Digest(), DateTimeOffset.UnixEpoch).Signature } },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void Should_refuse_an_altered_checkpoint(string change, Func<AuditCheckpoint, AuditCheckpoint> alter)
    {
        var checkpoint = AuditCheckpoint.Sign(CheckpointSigningKey.FromPem(Rfc8032Pem), 42, Digest(), new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero));

        var problem = CheckpointAuditor.SignatureProblem(alter(checkpoint), CheckpointVerifyingKey.FromPem(Rfc8032PublicPem));

        output.WriteLine($"{change}: {problem}");
        Assert.Equal(CheckpointFailure.SignatureInvalid, problem?.Failure);
    }

    [Fact]
    public void Should_refuse_a_checkpoint_signed_by_another_key_even_with_its_key_id()
    {
        var forger = CheckpointSigningKey.Generate();
        var genuine = CheckpointVerifyingKey.FromPem(Rfc8032PublicPem);
        var forged = AuditCheckpoint.Sign(forger, 42, Digest(), DateTimeOffset.UnixEpoch);

        Assert.Equal(CheckpointFailure.WrongKey, CheckpointAuditor.SignatureProblem(forged, genuine)?.Failure);
        var disguised = forged with { KeyId = genuine.KeyId };
        Assert.Equal(CheckpointFailure.SignatureInvalid, CheckpointAuditor.SignatureProblem(disguised, genuine)?.Failure);
        Assert.Null(CheckpointAuditor.SignatureProblem(forged, forger.PublicKey));
    }

    [Fact]
    public void Should_read_back_a_generated_key_pair_from_its_pem_files()
    {
        var key = CheckpointSigningKey.Generate();
        var reread = CheckpointSigningKey.FromPem(key.ToPem());
        var publicKey = CheckpointVerifyingKey.FromPem(key.PublicKey.ToPem());
        var payload = Encoding.UTF8.GetBytes("payload");

        Assert.Equal(key.KeyId, reread.KeyId);
        Assert.True(publicKey.Verify(payload, reread.Sign(payload)));
        Assert.Throws<FormatException>(() => CheckpointSigningKey.FromPem(key.PublicKey.ToPem()));
        Assert.Throws<FormatException>(() => CheckpointVerifyingKey.FromPem(key.ToPem()));
    }
}
