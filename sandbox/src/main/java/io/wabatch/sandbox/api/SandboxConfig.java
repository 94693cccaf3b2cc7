package io.wabatch.sandbox.api;

import io.wabatch.sandbox.api.templates.TemplateCatalogue;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link SandboxServer}, validated once at construction.
 *
 * @param numbers             the numbers served; ids unique, API keys unique
 * @param host                the address to bind (default {@code 127.0.0.1})
 * @param port                the TCP port; 0 picks a free one
 * @param mediaTtl            how long a media ID lives after upload (default 30 days; tests shorten it)
 * @param rateLimitHttpStatus HTTP status of a 130429 answer: 400 (default) or 429, as sources disagree
 * @param uploadDir           where multipart uploads are spooled while hashed, or {@code null} for a
 *                            fresh temporary directory that is deleted on close
 * @param eventLoops          how many event loops serve requests (default 2; state is shared and thread-safe)
 * @param pairLimit           the pair rate limit (131056); default one message per 6 s per recipient,
 *                            {@code null} = {@link PairLimit#disabled()}
 * @param latency             delay of each {@code /messages} and {@code /media} answer; {@code null} = none
 * @param faults              random faults injected into {@code /messages}; {@code null} = none
 * @param storm               a storm of one error code from server start, or {@code null}
 * @param seed                seed of the sandbox's random draws (faults, latency), or {@code null} for a
 *                            random seed
 * @param opsPort             port of the sandbox's own {@code /metrics}, {@code /health/live} and
 *                            {@code /health/ready} on {@code host} (0 = a free port), or {@code null} for none
 * @param templates           template catalogues by WhatsApp Business Account id (each a configured number's
 *                            {@link SandboxNumber#wabaId()}); an account without one sends templates unchecked
 */
public record SandboxConfig(List<SandboxNumber> numbers, String host, int port, Duration mediaTtl,
        int rateLimitHttpStatus, Path uploadDir, int eventLoops, PairLimit pairLimit, Latency latency,
        Faults faults, Storm storm, Long seed, Integer opsPort, Map<String, TemplateCatalogue> templates) {

    /** Phone-number ID of the demo 360dialog number in {@link #defaults()}. */
    public static final String DEMO_D360_NUMBER_ID = "360000000000001";
    /** {@code D360-API-KEY} of the demo 360dialog number. */
    public static final String DEMO_D360_API_KEY = "sandbox-d360-key-1";
    /** Phone-number ID of the demo Meta number in {@link #defaults()}. */
    public static final String DEMO_META_NUMBER_ID = "106540352242922";
    /** Bearer token of the demo Meta number. */
    public static final String DEMO_META_ACCESS_TOKEN = "sandbox-meta-token-1";

    /** Default media lifetime: 30 days from upload. */
    public static final Duration DEFAULT_MEDIA_TTL = Duration.ofDays(30);

    /** Validates every field and cross-field rule; messages name the key and the value. */
    public SandboxConfig {
        numbers = List.copyOf(numbers);
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("numbers must not be empty");
        }
        checkUnique(numbers);
        checkAccounts(numbers);
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (opsPort != null && (opsPort < 0 || opsPort > 65535)) {
            throw new IllegalArgumentException("ops_port must be 0..65535, got " + opsPort);
        }
        if (mediaTtl == null || mediaTtl.isNegative() || mediaTtl.isZero()) {
            throw new IllegalArgumentException("media_ttl must be positive, got " + mediaTtl);
        }
        if (rateLimitHttpStatus != 400 && rateLimitHttpStatus != 429) {
            throw new IllegalArgumentException("rate_limit_http_status must be 400 or 429, got " + rateLimitHttpStatus);
        }
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("event_loops must be 1..64, got " + eventLoops);
        }
        pairLimit = pairLimit == null ? PairLimit.disabled() : pairLimit;
        latency = latency == null ? Latency.NONE : latency;
        faults = faults == null ? Faults.none() : faults;
        if (storm != null && storm.number() != null
                && numbers.stream().noneMatch(n -> n.id().equals(storm.number()))) {
            throw new IllegalArgumentException("storm.number '" + storm.number() + "' is not a configured number");
        }
        templates = templates == null ? Map.of() : Map.copyOf(templates);
        for (String wabaId : templates.keySet()) {
            if (numbers.stream().noneMatch(n -> n.wabaId().equals(wabaId))) {
                throw new IllegalArgumentException("templates: '" + wabaId + "' is not the waba_id of a configured"
                        + " number");
            }
        }
    }

    /** The settings without template catalogues (the fourth version's shape). */
    public SandboxConfig(List<SandboxNumber> numbers, String host, int port, Duration mediaTtl,
            int rateLimitHttpStatus, Path uploadDir, int eventLoops, PairLimit pairLimit, Latency latency,
            Faults faults, Storm storm, Long seed, Integer opsPort) {
        this(numbers, host, port, mediaTtl, rateLimitHttpStatus, uploadDir, eventLoops, pairLimit, latency, faults,
                storm, seed, opsPort, Map.of());
    }

    /**
     * The settings of the first version: pair limit at its default (one per 6 s), no latency, no
     * faults, no storm, random seed.
     */
    public SandboxConfig(List<SandboxNumber> numbers, String host, int port, Duration mediaTtl,
            int rateLimitHttpStatus, Path uploadDir, int eventLoops) {
        this(numbers, host, port, mediaTtl, rateLimitHttpStatus, uploadDir, eventLoops, PairLimit.defaults(),
                Latency.NONE, Faults.none(), null, null, null, Map.of());
    }

    private static void checkUnique(List<SandboxNumber> numbers) {
        Set<String> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (SandboxNumber number : numbers) {
            if (!ids.add(number.id())) {
                throw new IllegalArgumentException("numbers[].id '" + number.id() + "' appears twice");
            }
            if (number.apiKey() != null && !keys.add(number.apiKey())) {
                throw new IllegalArgumentException("numbers[].api_key of " + number.id()
                        + " is used by another number (one 360dialog key = one number)");
            }
        }
    }

    /** Numbers of one WhatsApp Business Account belong to one business portfolio (or all to none). */
    private static void checkAccounts(List<SandboxNumber> numbers) {
        Map<String, SandboxNumber> firstOfAccount = new HashMap<>();
        for (SandboxNumber number : numbers) {
            SandboxNumber first = firstOfAccount.putIfAbsent(number.wabaId(), number);
            if (first != null && !Objects.equals(first.portfolioId(), number.portfolioId())) {
                throw new IllegalArgumentException("numbers " + first.id() + " and " + number.id() + " share waba_id '"
                        + number.wabaId() + "' but name different portfolio_id ('" + first.portfolioId() + "', '"
                        + number.portfolioId() + "'): an account belongs to one business portfolio");
            }
        }
    }

    /**
     * The demo setup: one 360dialog number ({@value #DEMO_D360_NUMBER_ID}, key
     * {@value #DEMO_D360_API_KEY}) and one Meta number ({@value #DEMO_META_NUMBER_ID}, token
     * {@value #DEMO_META_ACCESS_TOKEN}), 80 mps each, free port, 30-day media, pair limit one
     * message per 6 s per recipient, no latency, no faults.
     */
    public static SandboxConfig defaults() {
        return builder()
                .number(SandboxNumber.d360(DEMO_D360_NUMBER_ID, "+49 30 5550001", DEMO_D360_API_KEY))
                .number(SandboxNumber.meta(DEMO_META_NUMBER_ID, "+1 555 078 3881", DEMO_META_ACCESS_TOKEN))
                .build();
    }

    /** Reads the JSON file of {@code wabatch sandbox --config}; the format is in SANDBOX.md. */
    public static SandboxConfig fromJson(Path file) throws IOException {
        return SandboxConfigJson.read(file);
    }

    /** A builder with the defaults and no numbers. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this config. */
    public Builder toBuilder() {
        Builder builder = new Builder().host(host).port(port).mediaTtl(mediaTtl)
                .rateLimitHttpStatus(rateLimitHttpStatus).uploadDir(uploadDir).eventLoops(eventLoops)
                .pairLimit(pairLimit).latency(latency).faults(faults).storm(storm).seed(seed).opsPort(opsPort);
        numbers.forEach(builder::number);
        templates.forEach(builder::templates);
        return builder;
    }

    /** Builds a {@link SandboxConfig}; unset fields take the documented defaults. */
    public static final class Builder {
        private final List<SandboxNumber> numbers = new ArrayList<>();
        private String host = "127.0.0.1";
        private int port;
        private Duration mediaTtl = DEFAULT_MEDIA_TTL;
        private int rateLimitHttpStatus = 400;
        private Path uploadDir;
        private int eventLoops = 2;
        private Duration pairWindow = PairLimit.DEFAULT_WINDOW;
        private int pairBurst = PairLimit.DEFAULT_BURST;
        private Latency latency = Latency.NONE;
        private Faults faults = Faults.none();
        private Storm storm;
        private Long seed;
        private Integer opsPort;
        private final Map<String, TemplateCatalogue> templates = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The template catalogue of WhatsApp Business Account {@code wabaId} (e.g. {@link TemplateCatalogue#sample()});
         * {@code null} removes it.
         */
        public Builder templates(String wabaId, TemplateCatalogue catalogue) {
            if (catalogue == null) {
                templates.remove(wabaId);
            } else {
                templates.put(wabaId, catalogue);
            }
            return this;
        }

        /** Adds a number. */
        public Builder number(SandboxNumber number) {
            numbers.add(number);
            return this;
        }

        /** Removes all numbers added so far. */
        public Builder clearNumbers() {
            numbers.clear();
            return this;
        }

        /** The bind address. */
        public Builder host(String value) {
            host = value;
            return this;
        }

        /** The port; 0 = free port. */
        public Builder port(int value) {
            port = value;
            return this;
        }

        /** Media lifetime after upload. */
        public Builder mediaTtl(Duration value) {
            mediaTtl = value;
            return this;
        }

        /** 400 or 429 for 130429 answers. */
        public Builder rateLimitHttpStatus(int value) {
            rateLimitHttpStatus = value;
            return this;
        }

        /** Upload spool directory; {@code null} = temporary. */
        public Builder uploadDir(Path value) {
            uploadDir = value;
            return this;
        }

        /** Event loops serving requests. */
        public Builder eventLoops(int value) {
            eventLoops = value;
            return this;
        }

        /** The whole pair rate limit ({@link PairLimit#disabled()} turns it off). */
        public Builder pairLimit(PairLimit value) {
            PairLimit limit = value == null ? PairLimit.disabled() : value;
            pairWindow = limit.window();
            pairBurst = limit.burst();
            return this;
        }

        /** One token per {@code value} per (number, recipient); {@code null} or zero turns the limit off. */
        public Builder pairWindow(Duration value) {
            pairWindow = value;
            return this;
        }

        /** Messages one recipient may get at once before the window applies (≥ 1). */
        public Builder pairBurst(int value) {
            pairBurst = value;
            return this;
        }

        /** Delay of each {@code /messages} and {@code /media} answer. */
        public Builder latency(Latency value) {
            latency = value;
            return this;
        }

        /** Random faults injected into {@code /messages}. */
        public Builder faults(Faults value) {
            faults = value;
            return this;
        }

        /** A storm starting when the server starts; {@code null} for none. */
        public Builder storm(Storm value) {
            storm = value;
            return this;
        }

        /** Seed of the random draws; {@code null} = random. */
        public Builder seed(Long value) {
            seed = value;
            return this;
        }

        /** Port of the metrics and health endpoint (0 = free port); {@code null} = none. */
        public Builder opsPort(Integer value) {
            opsPort = value;
            return this;
        }

        /** Validates and builds. */
        public SandboxConfig build() {
            return new SandboxConfig(numbers, host, port, mediaTtl, rateLimitHttpStatus, uploadDir, eventLoops,
                    new PairLimit(pairWindow, pairBurst), latency, faults, storm, seed, opsPort, templates);
        }
    }
}
