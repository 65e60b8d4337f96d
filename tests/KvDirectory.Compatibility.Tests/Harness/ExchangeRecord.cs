namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>A request as actually sent (templates resolved for that server) and the answer it got.</summary>
public sealed record ExchangeRecord(string Description, HttpSnapshot Response, CompareMode Mode, bool KeepsListingOrder);
