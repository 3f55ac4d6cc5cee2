namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>
/// A fact that needs IBKR's full OpenAPI document (../shared/reference beside the working copy). A clone without it
/// reports the test skipped, with the path it looked for, instead of failing: everything else runs on the project's
/// own subset.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FactWhenIbkrOpenApiDocumentIsPresentAttribute : FactAttribute
{
    public FactWhenIbkrOpenApiDocumentIsPresentAttribute()
    {
        if (!File.Exists(RepositoryRoot.IbkrOpenApiDocument))
        {
            Skip = $"IBKR's full OpenAPI document is not at {RepositoryRoot.IbkrOpenApiDocument}: the subset in contracts/ibkr is not compared with it here.";
        }
    }
}
