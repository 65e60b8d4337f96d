namespace KvDirectory.Samples.WebApp;

/// <summary>The feature setting the sample reads live: <c>/config/sample/Features</c> (a JSON value, expanded).</summary>
public sealed class FeatureOptions
{
    public string Greeting { get; set; } = "Hello";

    public bool ShowIndex { get; set; }
}
