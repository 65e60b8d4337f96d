using KvDirectory.Extensions.Configuration;
using KvDirectory.Samples.WebApp;
using Microsoft.Extensions.Options;

// Configuration from KvDirectory: every key under /config/sample is a setting, reloaded live when it changes.
//   kvctl set /config/sample/Logging/LogLevel/Default Debug
//   kvctl set /config/sample/Features '{"Greeting":"Bonjour","ShowIndex":true}'
var builder = WebApplication.CreateBuilder(args);
using var startupLogging = LoggerFactory.Create(logging => logging.AddConsole());
builder.Configuration.AddKvDirectory(options =>
{
    options.Endpoints = [.. (builder.Configuration["KvDirectory:Endpoints"] ?? "http://127.0.0.1:2379").Split(',').Select(e => new Uri(e))];
    options.Prefix = "/config/sample";
    options.ExpandJsonUnder = ["Features"];
    options.Optional = true;
    options.StartupTimeout = TimeSpan.FromSeconds(3);
    options.CacheFile = Path.Combine(builder.Environment.ContentRootPath, "kvdirectory-cache.json");
    options.ExcludeFromCache = ["Secrets"];
    options.LoggerFactory = startupLogging;
});
builder.Services.Configure<FeatureOptions>(builder.Configuration.GetSection("Features"));
builder.Services.AddHealthChecks().AddKvDirectoryConfiguration();

var app = builder.Build();
var logger = app.Services.GetRequiredService<ILogger<FeatureOptions>>();
app.Services.GetRequiredService<IOptionsMonitor<FeatureOptions>>().OnChange(features => logger.LogInformation("Features changed: greeting {Greeting}", features.Greeting));

app.MapGet("/", (IOptionsMonitor<FeatureOptions> features, IConfiguration configuration) =>
{
    var current = features.CurrentValue;
    logger.LogDebug("Serving / (visible only when Logging:LogLevel:Default is Debug)");
    var index = configuration.GetKvDirectoryProviders().Single().Status.EtcdIndex;
    return current.ShowIndex ? $"{current.Greeting} (configuration at etcd index {index})" : current.Greeting;
});
app.MapGet("/debug/configuration", (IConfiguration configuration) => configuration.GetKvDirectoryDebugView());
app.MapHealthChecks("/health");
app.Run();
