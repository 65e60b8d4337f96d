using KvDirectory.Server.Auth;

namespace KvDirectory.Server.Tests.Unit;

/// <summary>bcrypt as etcd stores it, and the verification cache that spares a request the hash.</summary>
public sealed class PasswordVerifierTests
{
    [Fact]
    public void Hashes_are_bcrypt_2a_cost_10_and_verify()
    {
        var hash = PasswordVerifier.Hash("secret");
        hash.Should().StartWith("$2a$10$");
        var verifier = new PasswordVerifier();
        verifier.Verify("u", hash, "secret").Should().BeTrue();
        verifier.Verify("u", hash, "wrong").Should().BeFalse();
        verifier.Verify("u", "not a bcrypt hash", "secret").Should().BeFalse();
    }

    [Fact]
    public void A_hash_made_by_gos_bcrypt_verifies()
    {
        // The known answer in golang.org/x/crypto/bcrypt's own tests (the package etcd hashes with).
        var verifier = new PasswordVerifier();
        verifier.Verify("u", "$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga", "allmine").Should().BeTrue();
        verifier.Verify("u", "$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga", "allmine!").Should().BeFalse();
    }

    [Fact]
    public void Answers_are_remembered_per_user_hash_and_password_and_forgotten_when_the_user_changes()
    {
        var verifier = new PasswordVerifier();
        var first = PasswordVerifier.Hash("one");
        verifier.Verify("u", first, "one").Should().BeTrue();
        verifier.Verify("u", first, "one").Should().BeTrue();
        verifier.CachedAnswers.Should().Be(1, "the repeated check is answered from the cache");
        verifier.Verify("u", first, "two").Should().BeFalse();
        verifier.CachedAnswers.Should().Be(2, "a refused password is remembered too");

        // A new password: a new stored hash, so the old answer cannot be reused.
        var second = PasswordVerifier.Hash("two");
        verifier.Verify("u", second, "one").Should().BeFalse();
        verifier.Verify("u", second, "two").Should().BeTrue();
        verifier.Forget("u");
        verifier.CachedAnswers.Should().Be(0);
    }

    [Fact]
    public void A_password_longer_than_the_stack_buffer_is_checked_and_remembered_too()
    {
        var verifier = new PasswordVerifier();
        var longPassword = new string('p', 60) + new string('é', 40); // bcrypt reads 72 bytes; the digest all of them
        var hash = PasswordVerifier.Hash(longPassword);
        verifier.Verify("u", hash, longPassword).Should().BeTrue();
        verifier.Verify("u", hash, longPassword).Should().BeTrue();
        verifier.CachedAnswers.Should().Be(1);
        verifier.Verify("u", hash, "short").Should().BeFalse();
        verifier.CachedAnswers.Should().Be(2);
    }
}
