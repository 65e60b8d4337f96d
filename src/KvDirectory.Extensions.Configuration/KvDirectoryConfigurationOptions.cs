using Microsoft.Extensions.Logging;

namespace KvDirectory.Extensions.Configuration;

/// <summary>Where the configuration lives in the store and how the provider loads, follows and caches it.</summary>
public sealed class KvDirectoryConfigurationOptions
{
    public IList<Uri> Endpoints { get; set; } = [];

    /// <summary>The directory whose keys become configuration: <c>{Prefix}/Logging/LogLevel/Default</c> is <c>Logging:LogLevel:Default</c>.</summary>
    public string Prefix { get; set; } = "/";

    /// <summary>Expand every value that is a JSON object or array into a section.</summary>
    public bool ExpandJson { get; set; }

    /// <summary>Expand JSON values only at or beneath these configuration paths (<c>Features</c>).</summary>
    public IList<string> ExpandJsonUnder { get; set; } = [];

    /// <summary>Start with no values (instead of failing) when neither the cluster nor a usable cache answers.</summary>
    public bool Optional { get; set; }

    /// <summary>The longest the first load may take before the cache (or nothing, if optional) is used instead.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Follow changes with one recursive watch and reload.</summary>
    public bool ReloadOnChange { get; set; } = true;

    /// <summary>Changes are gathered until none has come for this long, so a burst of writes is one reload.</summary>
    public TimeSpan DebounceWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The last-known-good cache file, rewritten atomically after every load; null: no cache.</summary>
    public string? CacheFile { get; set; }

    /// <summary>A cache older than this is not used at startup; null: any age.</summary>
    public TimeSpan? CacheMaxAge { get; set; }

    /// <summary>Configuration paths (and everything beneath them) never written to the cache file: secrets.</summary>
    public IList<string> ExcludeFromCache { get; set; } = [];

    /// <summary>Deadline for the headers of one request to one endpoint.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    public string? TrustedCaFile { get; set; }

    /// <summary>Configuration is built before the host's logging: pass a factory to see the provider's warnings.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock the cache's age is measured with.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
