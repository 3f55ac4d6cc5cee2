using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// The Ed25519 private key that signs checkpoints, read from PEM (PKCS#8, as <c>openssl genpkey -algorithm ed25519</c>
/// writes it). Only the processor holds it; auditors verify with <see cref="PublicKey"/>.
/// </summary>
public sealed class CheckpointSigningKey
{
    private static readonly byte[] Pkcs8Prefix = Convert.FromHexString("302e020100300506032b657004220420");

    private readonly Ed25519PrivateKeyParameters _key;

    private CheckpointSigningKey(Ed25519PrivateKeyParameters key)
    {
        _key = key;
        PublicKey = new CheckpointVerifyingKey(key.GeneratePublicKey());
    }

    public CheckpointVerifyingKey PublicKey { get; }

    public string KeyId => PublicKey.KeyId;

    public static CheckpointSigningKey Generate() => new(new Ed25519PrivateKeyParameters(new SecureRandom()));

    /// <summary>Reads a <c>PRIVATE KEY</c> PEM block; anything else (another algorithm, an encrypted key) fails with a reason.</summary>
    public static CheckpointSigningKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        byte[] der;
        try
        {
            var fields = PemEncoding.Find(pem);
            if (!pem[fields.Label].SequenceEqual("PRIVATE KEY"))
            {
                throw new FormatException($"the PEM block is '{pem[fields.Label]}', not an unencrypted 'PRIVATE KEY' (PKCS#8)");
            }

            der = Convert.FromBase64String(pem[fields.Base64Data].ToString());
        }
        catch (ArgumentException exception)
        {
            throw new FormatException("the signing key is not PEM: " + exception.Message, exception);
        }

        object parsed;
        try
        {
            parsed = PrivateKeyFactory.CreateKey(der);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // BouncyCastle says "not a key" with whatever it met first (ArgumentException, IOException, InvalidCastException...).
            throw new FormatException($"the signing key is not a DER-encoded key: {exception.Message}", exception);
        }

        return parsed is Ed25519PrivateKeyParameters key
            ? new CheckpointSigningKey(key)
            : throw new FormatException("the signing key is not an Ed25519 key");
    }

    public byte[] Sign(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var signer = new Ed25519Signer();
        signer.Init(forSigning: true, _key);
        signer.BlockUpdate(payload, 0, payload.Length);
        return signer.GenerateSignature();
    }

    /// <summary>
    /// PKCS#8 version 1 as RFC 8410 writes an Ed25519 key (without the optional public key, which OpenSSL 3.0 does not
    /// read): a fixed 16-byte prefix and the 32-byte seed.
    /// </summary>
    public string ToPem() =>
        new string(PemEncoding.Write("PRIVATE KEY", [.. Pkcs8Prefix, .. _key.GetEncoded()])) + "\n";
}
