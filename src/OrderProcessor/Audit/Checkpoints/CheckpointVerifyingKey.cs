using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// The Ed25519 public key auditors verify checkpoints with (PEM <c>PUBLIC KEY</c>, as <c>openssl pkey -pubout</c>
/// writes it). <see cref="KeyId"/>: the first 8 bytes of SHA-256 over the raw 32-byte key, in lowercase hex.
/// </summary>
public sealed class CheckpointVerifyingKey
{
    private readonly Ed25519PublicKeyParameters _key;

    internal CheckpointVerifyingKey(Ed25519PublicKeyParameters key)
    {
        _key = key;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key.GetEncoded()).AsSpan(0, 8));
    }

    public string KeyId { get; }

    public static CheckpointVerifyingKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        byte[] der;
        try
        {
            var fields = PemEncoding.Find(pem);
            if (!pem[fields.Label].SequenceEqual("PUBLIC KEY"))
            {
                throw new FormatException($"the PEM block is '{pem[fields.Label]}', not a 'PUBLIC KEY'");
            }

            der = Convert.FromBase64String(pem[fields.Base64Data].ToString());
        }
        catch (ArgumentException exception)
        {
            throw new FormatException("the public key is not PEM: " + exception.Message, exception);
        }

        object parsed;
        try
        {
            parsed = PublicKeyFactory.CreateKey(der);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // BouncyCastle says "not a key" with whatever it met first (ArgumentException, IOException, InvalidCastException...).
            throw new FormatException($"the public key is not a DER-encoded key: {exception.Message}", exception);
        }

        return parsed is Ed25519PublicKeyParameters key
            ? new CheckpointVerifyingKey(key)
            : throw new FormatException("the public key is not an Ed25519 key");
    }

    public bool Verify(byte[] payload, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(signature);
        var verifier = new Ed25519Signer();
        verifier.Init(forSigning: false, _key);
        verifier.BlockUpdate(payload, 0, payload.Length);
        return verifier.VerifySignature(signature);
    }

    public string ToPem() =>
        new string(PemEncoding.Write("PUBLIC KEY", SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(_key).GetDerEncoded())) + "\n";
}
