namespace KvDirectory.Cluster.Tests;

/// <summary>The crash model must catch what it is there to catch, or a green crash test proves nothing.</summary>
public sealed class CrashModelTests
{
    private static readonly Dictionary<string, StoredKey> Empty = new(StringComparer.Ordinal);

    [Fact]
    public void An_acknowledged_write_that_is_missing_after_the_restart_is_reported()
    {
        var model = new CrashModel();
        var problems = model.Verify([Acked(WriteKind.Set, "/k/1", "a", 10)], Empty, observedEtcdIndex: 10);
        problems.Should().ContainSingle().Which.Should().Contain("/k/1");
    }

    [Fact]
    public void An_older_acknowledged_value_in_place_of_the_newest_is_reported()
    {
        var model = new CrashModel();
        var problems = model.Verify(
            [Acked(WriteKind.Set, "/k/1", "a", 10), Acked(WriteKind.Set, "/k/1", "b", 11)],
            Observed(("/k/1", "a", 10)),
            observedEtcdIndex: 11);
        problems.Should().ContainSingle();
    }

    [Fact]
    public void A_value_nobody_wrote_is_reported_as_half_applied()
    {
        var model = new CrashModel();
        var problems = model.Verify([Acked(WriteKind.Set, "/k/1", "a", 10)], Observed(("/k/1", "garbage", 10)), observedEtcdIndex: 10);
        problems.Should().ContainSingle().Which.Should().Contain("nobody wrote");
    }

    [Fact]
    public void An_etcd_index_below_an_acknowledged_one_is_reported()
    {
        var model = new CrashModel();
        var problems = model.Verify([Acked(WriteKind.Set, "/k/1", "a", 10)], Observed(("/k/1", "a", 10)), observedEtcdIndex: 9);
        problems.Should().ContainSingle().Which.Should().Contain("backwards");
    }

    [Fact]
    public void A_write_with_unknown_outcome_applied_after_the_last_acknowledged_one_is_accepted()
    {
        var model = new CrashModel();
        var problems = model.Verify(
            [Acked(WriteKind.Set, "/k/1", "a", 10), new WriteRecord(WriteKind.Set, "/k/1", "b", null), new WriteRecord(WriteKind.Delete, "/k/2", null, null)],
            Observed(("/k/1", "b", 12)),
            observedEtcdIndex: 12);
        problems.Should().BeEmpty();
    }

    [Fact]
    public void An_acknowledged_delete_followed_by_nothing_must_leave_the_key_absent()
    {
        var model = new CrashModel();
        model.Verify([Acked(WriteKind.Set, "/k/1", "a", 10)], Observed(("/k/1", "a", 10)), 10).Should().BeEmpty();
        model.Verify([Acked(WriteKind.Delete, "/k/1", null, 11)], Observed(("/k/1", "a", 10)), 11).Should().ContainSingle();
    }

    [Fact]
    public void An_acknowledged_POST_must_be_there_and_an_unexplained_queue_key_is_reported()
    {
        var model = new CrashModel();
        var post = Acked(WriteKind.PostInOrder, CrashWorkload.QueueDirectory, "p", 10) with { AnsweredKey = "/q/00000000000000000010" };
        model.Verify([post], Empty, 10).Should().ContainSingle();
        new CrashModel().Verify([post], Observed(("/q/00000000000000000010", "p", 10), ("/q/00000000000000000011", "p", 11)), 11)
            .Should().ContainSingle().Which.Should().Contain("00000000000000000011");
    }

    private static WriteRecord Acked(WriteKind kind, string key, string? value, long index) =>
        new(kind, key, value, null) { Acknowledged = true, AnsweredKey = key, ModifiedIndex = index, EtcdIndex = index };

    private static Dictionary<string, StoredKey> Observed(params (string Key, string Value, long Index)[] keys) =>
        keys.ToDictionary(k => k.Key, k => new StoredKey(k.Key, k.Value, k.Index, null), StringComparer.Ordinal);
}
