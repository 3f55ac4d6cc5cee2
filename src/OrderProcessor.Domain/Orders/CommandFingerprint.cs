using System.Security.Cryptography;
using System.Text.Json;

namespace OrderProcessor.Orders;

/// <summary>A stable hash of a command's content: equal for a repeat, different for a conflicting duplicate.</summary>
public static class CommandFingerprint
{
    public static string Of<TCommand>(TCommand command) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(command, ContractJson.Options)));
}
