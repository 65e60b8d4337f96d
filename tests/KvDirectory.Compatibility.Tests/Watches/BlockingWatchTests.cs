using KvDirectory.Compatibility.Tests.Harness;
using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Watches;

/// <summary>Watches that block until a concurrent write (or an expiry) fires them, compared between etcd and the candidate.</summary>
[Collection(DifferentialCollection.Name)]
public sealed class BlockingWatchTests(DifferentialPair pair)
{
    [Fact]
    public Task A_blocking_watch_is_woken_by_a_write_to_its_key() =>
        new WatchScript("blocking watch woken by a write", [Put("/a", "value=one")], Keys("/a?wait=true"), [Put("/a", "value=two")]).CompareAsync(pair);

    [Fact]
    public Task A_watch_on_a_missing_key_is_woken_by_its_creation() =>
        new WatchScript("blocking watch on a missing key woken by create", [], Keys("/a?wait=true"), [Put("/a?prevExist=false", "value=one")]).CompareAsync(pair);

    [Fact]
    public Task A_recursive_watch_is_woken_by_a_child_write() =>
        new WatchScript("recursive watch woken by a child write", [Put("/d?dir=true")], Keys("/d?wait=true&recursive=true"), [Put("/d/e/f", "value=one")]).CompareAsync(pair);

    [Fact]
    public Task A_non_recursive_watch_ignores_a_child_write() =>
        new WatchScript("non-recursive watch ignores a child write", [Put("/d?dir=true")], Keys("/d?wait=true"), [Put("/d/a", "value=one"), Put("/d?dir=true&prevExist=true&ttl=1000")]).CompareAsync(pair);

    [Fact]
    public Task A_watch_on_a_key_is_woken_by_its_directory_delete_with_the_directory_event() =>
        new WatchScript("watch on a key woken by its directory delete", [Put("/d/a", "value=one")], Keys("/d/a?wait=true"), [Delete("/d?recursive=true")]).CompareAsync(pair);

    [Fact]
    public Task A_watch_is_woken_by_a_compare_and_delete() =>
        new WatchScript("watch woken by compareAndDelete", [Put("/a", "value=one")], Keys("/a?wait=true"), [Delete("/a?prevValue=one")]).CompareAsync(pair);

    [Fact]
    public Task A_watch_with_a_future_wait_index_skips_earlier_events() =>
        new WatchScript("watch with a future waitIndex", [Put("/a", "value=one")], Keys("/a?wait=true&waitIndex={i+3}"), [Put("/a", "value=two"), Put("/a", "value=three")]).CompareAsync(pair);

    [Fact]
    public Task A_live_watch_never_sees_a_refresh() =>
        new WatchScript("live watch does not see a refresh", [Put("/a", "value=one&ttl=1000")], Keys("/a?wait=true"), [Put("/a?prevExist=true", "refresh=true&ttl=900"), Put("/a", "value=two")]).CompareAsync(pair);

    [Fact]
    public Task A_live_recursive_watch_never_sees_hidden_keys() =>
        new WatchScript("live recursive watch does not see hidden keys", [Put("/d?dir=true")], Keys("/d?wait=true&recursive=true"), [Put("/d/_h", "value=one"), Put("/d/v", "value=two")]).CompareAsync(pair);

    [Fact]
    public Task An_expiring_key_wakes_its_watcher_with_expire() =>
        new WatchScript("expiring key wakes its watcher", [Put("/a", "value=one&ttl=1")], Keys("/a?wait=true"), []).CompareAsync(pair);

    [Fact]
    public Task A_leader_watch_from_the_next_index_is_ended_by_expire() =>
        new WatchScript("leader watch from the next index ended by expire", [Put("/leader?prevExist=false", "value=node-a&ttl=1")], Keys("/leader?wait=true&waitIndex={i+2}"), []).CompareAsync(pair);

    [Fact]
    public Task A_recursive_watch_on_a_directory_is_woken_by_its_delete() =>
        new WatchScript("recursive watch woken by the directory delete", [Put("/d/a", "value=one")], Keys("/d?wait=true&recursive=true"), [Delete("/d?recursive=true")]).CompareAsync(pair);

    [Fact]
    public Task An_expiring_directory_wakes_a_watcher_of_a_key_inside_it() =>
        new WatchScript("expiring directory wakes a watcher of its child", [Put("/d?dir=true&ttl=1"), Put("/d/a", "value=one")], Keys("/d/a?wait=true"), []).CompareAsync(pair);

    [Fact]
    public Task A_stream_watch_delivers_two_events() =>
        new WatchScript("stream watch delivers two events", [Put("/a", "value=one")], Keys("/a?wait=true&stream=true"), [Put("/a", "value=two"), Put("/a", "value=three")], StreamEvents: 2).CompareAsync(pair);

    [Fact]
    public Task A_blocking_watch_answer_escapes_strings_as_go_does() =>
        new WatchScript("blocking watch answer escapes as Go", [Put("/k%22%3C%C3%A9", "value=%22one%22%5C")], Keys("/k%22%3C%C3%A9?wait=true"),
            [Put("/k%22%3C%C3%A9", "value=%3Ctwo%3E%26%2B%27%E2%80%A8%01%08%F0%9F%98%80")]).CompareAsync(pair);

    [Fact]
    public Task A_stream_watch_escapes_strings_as_go_does() =>
        new WatchScript("stream watch escapes as Go", [Put("/d?dir=true")], Keys("/d?wait=true&recursive=true&stream=true"),
            [Put("/d/k%E2%80%A9", "value=%22a%22%3C%3E"), Put("/d/k%5C%2B", "value=%E4%B8%AD%0A%1F%27")], StreamEvents: 2).CompareAsync(pair);
}
