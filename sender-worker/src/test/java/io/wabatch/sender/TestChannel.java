package io.wabatch.sender;

import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.secret.Secret;
import io.wabatch.sandbox.api.SandboxNumber;
import java.net.URI;

/**
 * One channel of a test: a sandbox number and the registry channel that sends through it, with
 * their own limits so a test can set the API's limit apart from the sender's ({@code apiMps} vs
 * {@code mps}). Headroom and burst are the registry defaults (0.98, less under 50 mps; half the gap, at least 1).
 *
 * @param id       the channel id
 * @param numberId the sandbox phone-number id (the stats key)
 * @param meta     Meta Cloud API (bearer token) rather than 360dialog (API key)
 * @param partition the channel's partition of the ready and results topics
 * @param mps      the channel's configured limit; the sender paces at {@code mps × 0.98} while no customer writes
 * @param apiMps   the sandbox number's limit (130429 above it)
 * @param waba     the WABA id, or null
 * @param revoked  the sandbox knows the number under another credential: every call gets 401 / 190
 * @param tier     the channel's messaging tier in the registry, or null for unlimited
 * @param business the channel's business portfolio and switches (the registry's defaults unless a test sets them)
 */
public record TestChannel(String id, String numberId, boolean meta, int partition, int mps, int apiMps, String waba,
                   boolean revoked, Integer tier, Channel.Business business) {

    /** A 360dialog channel on partition {@code partition} whose API limit equals its configured limit. */
    public static TestChannel d360(String id, int partition, int mps) {
        return new TestChannel(id, "d360-" + id, false, partition, mps, mps, null, false, null,
                Channel.Business.DEFAULT);
    }

    /** A Meta channel on partition {@code partition} whose API limit equals its configured limit. */
    public static TestChannel meta(String id, int partition, int mps) {
        return new TestChannel(id, "meta-" + id, true, partition, mps, mps, null, false, null,
                Channel.Business.DEFAULT);
    }

    /** This channel with another limit at the API. */
    public TestChannel withApiMps(int value) {
        return new TestChannel(id, numberId, meta, partition, mps, value, waba, revoked, tier, business);
    }

    /** This channel in the WABA {@code value}. */
    public TestChannel inWaba(String value) {
        return new TestChannel(id, numberId, meta, partition, mps, apiMps, value, revoked, tier, business);
    }

    /** This channel with a credential the sandbox no longer accepts. */
    public TestChannel withRevokedCredential() {
        return new TestChannel(id, numberId, meta, partition, mps, apiMps, waba, true, tier, business);
    }

    /** This channel with a messaging tier of {@code value} unique recipients per window. */
    public TestChannel withTier(int value) {
        return new TestChannel(id, numberId, meta, partition, mps, apiMps, waba, revoked, value, business);
    }

    /** This channel with the US marketing pause rule on (the default) or off. */
    public TestChannel withUsMarketingPause(boolean on) {
        return new TestChannel(id, numberId, meta, partition, mps, apiMps, waba, revoked, tier,
                new Channel.Business(business.portfolioId(), business.marketingMessages(), on));
    }

    /** This channel sending marketing templates by the Marketing Messages API (a Meta number's switch). */
    public TestChannel withMarketingMessages() {
        return new TestChannel(id, numberId, meta, partition, mps, apiMps, waba, revoked, tier,
                new Channel.Business(business.portfolioId(), true, business.usMarketingPause()));
    }

    /**
     * This channel in business portfolio {@code portfolioId} (the sandbox's number too), with a per-user
     * marketing cap of {@code marketingCap} (null: none).
     */
    public TestChannel inPortfolio(String portfolioId, Integer marketingCap) {
        return new TestChannel(id, numberId, meta, partition, mps, apiMps, waba, revoked, tier,
                new Channel.Business(portfolioId, business.marketingMessages(), business.usMarketingPause(),
                        marketingCap));
    }

    /** The pace the sender aims at while no customer writes to the number: {@code mps × headroom}. */
    public double pace() {
        return mps * Channel.defaultHeadroom(mps);
    }

    public String credential() {
        return (meta ? "token-" : "key-") + id;
    }

    public SandboxNumber sandboxNumber() {
        String known = revoked ? credential() + "-rotated" : credential();
        SandboxNumber number = meta ? new SandboxNumber(numberId, "+1 555 000 " + partition, null, known, apiMps)
                : new SandboxNumber(numberId, "+49 30 555 " + partition, known, null, apiMps);
        return business.portfolioId() == null ? number : number.withPortfolioId(business.portfolioId());
    }

    public Channel channel(String sandboxBaseUrl) {
        URI base = URI.create(sandboxBaseUrl);
        ApiEndpoint endpoint = meta
                ? ApiEndpoint.meta(base, ApiEndpoint.DEFAULT_META_API_VERSION, numberId, Secret.of(credential()))
                : ApiEndpoint.d360(base, Secret.of(credential()));
        return new Channel(id, endpoint, waba, partition, mps, Channel.defaultHeadroom(mps),
                Channel.defaultBurst(mps, Channel.defaultHeadroom(mps)), Channel.DEFAULT_UPLOAD_RATE, tier, business,
                sandboxNumber().displayPhone(), null);
    }

    /** The channel as a YAML list entry of a registry file; the credential lives in {@code credentialFile}. */
    public String yaml(String sandboxBaseUrl, java.nio.file.Path credentialFile) {
        StringBuilder yaml = new StringBuilder()
                .append("  - id: ").append(id).append('\n')
                .append("    provider: ").append(meta ? "meta" : "360dialog").append('\n')
                .append("    base_url: ").append(sandboxBaseUrl).append('\n')
                .append("    credential: file:").append(credentialFile).append('\n')
                .append("    partition: ").append(partition).append('\n')
                .append("    mps: ").append(mps).append('\n');
        if (!business.usMarketingPause()) {
            yaml.append("    us_marketing_pause: false\n");
        }
        if (business.marketingMessages()) {
            yaml.append("    marketing_messages: true\n");
        }
        if (business.portfolioId() != null) {
            yaml.append("    portfolio_id: \"").append(business.portfolioId()).append("\"\n");
        }
        if (business.marketingCap() != null) {
            yaml.append("    marketing_cap: ").append(business.marketingCap()).append('\n');
        }
        if (tier != null) {
            yaml.append("    tier: ").append(tier).append('\n');
        }
        if (meta) {
            yaml.append("    api_version: ").append(ApiEndpoint.DEFAULT_META_API_VERSION).append('\n')
                    .append("    phone_number_id: \"").append(numberId).append("\"\n");
        }
        return yaml.toString();
    }
}
