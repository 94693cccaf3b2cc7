package io.wabatch.ops.bench;

import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Head-of-line immunity: one channel at 200 mps; single-recipient jobs offered at half its pace
 * (95 a second) for {@code duration} seconds, every tenth a 16 MB video from an origin that sends
 * at 1 MB/s, the rest texts. The campaign's videos share one link (as a campaign's media do), so
 * wabatch uploads it once, about 17 s in, and sends the waiting videos then. The offered rate
 * leaves the sender room to absorb that burst.
 *
 * <p>Measured for texts, from the sandbox's record (time of acceptance) against the publish time
 * of each text's job: the share of offered texts accepted by 2 s after the last publish, and the
 * p99 of publish → acceptance (a text still unsent at that cut-off counts with its age then). The
 * same traffic then goes to {@link InlineBaseline}, on fresh topics against the reset sandbox.
 */
final class HolScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");
    static final long VIDEO_BYTES = (16L << 20) - 1024;
    static final long ORIGIN_BYTES_PER_SECOND = 1L << 20;
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Override
    public String name() {
        return "hol";
    }

    @Override
    public BenchReport run(BenchEnv env, BenchOptions options) throws Exception {
        BenchChannel channel = new BenchChannel("hol", 0, 200);
        List<BenchChannel> channels = List.of(channel);
        double offeredPerSecond = channel.pace() / 2;
        BenchReport report = new BenchReport(name(), options.durationSeconds());
        report.features().put("offered_per_s", offeredPerSecond).put("video_share", 0.1)
                .put("video_mb", 16).put("origin_mb_per_s", 1).put("baseline", "inline");
        Path video = video(env.directory("hol-media").resolve("video.mp4"));
        try (SandboxServer sandbox = Figures.sandbox(channels, Latency.NONE);
             MediaOrigin origin = MediaOrigin.start()) {
            Traffic wabatch;
            try (Pipeline pipeline = Pipeline.create(env, "hol", channels, sandbox.baseUrl(), 1);
                 JobFeed feed = new JobFeed(env.bootstrap(), pipeline.topics().jobs(), 0)) {
                pipeline.startUploadWorker(Map.of(), List.of("-Xmx1g"));
                pipeline.startSenderWorker(Map.of(), List.of("-Xmx1g"));
                wabatch = runTraffic("wabatch", feed, origin, video, sandbox, channel, offeredPerSecond, options);
            }
            sandbox.reset();
            Traffic baseline;
            try (Pipeline pipeline = Pipeline.create(env, "hol-inline", channels, sandbox.baseUrl(), 1);
                 JobFeed feed = new JobFeed(env.bootstrap(), pipeline.topics().jobs(), 0);
                 InlineBaseline inline = new InlineBaseline(env.bootstrap(), pipeline.topics().jobs(), channel,
                         sandbox.baseUrl(), env.directory("hol-inline-spool"))) {
                baseline = runTraffic("inline", feed, origin, video, sandbox, channel, offeredPerSecond, options);
            }
            report.json().put("text_rate_ratio", BenchReport.round(wabatch.textRatio()))
                    .put("text_p99_ms", wabatch.p99())
                    .put("baseline_text_rate_ratio", BenchReport.round(baseline.textRatio()))
                    .put("baseline_text_p99_ms", baseline.p99())
                    .put("texts_offered", wabatch.offered()).put("videos_offered", wabatch.videos())
                    .put("videos_sent", wabatch.videosSent()).put("baseline_videos_sent", baseline.videosSent());
            report.row("wabatch: texts sent / offered", BenchReport.format(wabatch.textRatio()), ">= 0.95",
                    wabatch.textRatio() >= 0.95);
            report.row("wabatch: text p99 publish -> API (ms)", Long.toString(wabatch.p99()), "< 1000",
                    wabatch.p99() < 1000);
            report.row("wabatch: videos sent / offered", wabatch.videosSent() + " / " + wabatch.videos(), null, null);
            report.row("inline: texts sent / offered", BenchReport.format(baseline.textRatio()), null, null);
            report.row("inline: text p99 publish -> API (ms)", Long.toString(baseline.p99()), null, null);
            report.row("inline: videos sent / offered", baseline.videosSent() + " / " + baseline.videos(), null, null);
        }
        return report;
    }

    /**
     * What one side did with the traffic.
     *
     * @param offered texts offered
     * @param sent    texts accepted by the cut-off
     * @param p99     p99 of publish → acceptance, in ms
     */
    private record Traffic(int offered, int sent, long p99, int videos, int videosSent) {
        double textRatio() {
            return offered == 0 ? 0 : sent / (double) offered;
        }
    }

    private static Traffic runTraffic(String side, JobFeed feed, MediaOrigin origin, Path video, SandboxServer sandbox,
                                      BenchChannel channel, double perSecond, BenchOptions options) {
        String path = "/" + side + "-video.mp4";
        origin.register(path, Route.file(video, "video/mp4").withThrottle(ORIGIN_BYTES_PER_SECOND));
        // Warm-up: texts only, same rate; not counted.
        List<Published> warmUp = offer(feed, side + "-warm-up", options.warmUp(), perSecond, 0, null);
        awaitAccepted(sandbox, channel, warmUp.size(), Duration.ofSeconds(30));
        sandbox.reset();

        List<Published> published = offer(feed, side, options.duration(), perSecond, 10_000_000, origin.url(path));
        long cutOff = System.currentTimeMillis() + GRACE.toMillis();
        ChildJvm.sleep(GRACE.toMillis());
        List<Published> texts = published.stream().filter(p -> !p.video()).toList();
        int videoCount = published.size() - texts.size();
        Map<String, Long> acceptedAt = new HashMap<>();
        int videosSent = 0;
        for (AcceptedMessage message : sandbox.messages(channel.numberId())) {
            if (message.type().equals("text")) {
                acceptedAt.putIfAbsent(message.to(), message.receivedAtMs());
            } else if (message.receivedAtMs() <= cutOff) {
                videosSent++;
            }
        }
        long[] latencies = new long[texts.size()];
        int sent = 0;
        int i = 0;
        for (Published text : texts) {
            Long at = acceptedAt.get(text.to());
            if (at != null && at <= cutOff) {
                sent++;
                latencies[i++] = at - text.atMs();
            } else {
                latencies[i++] = cutOff - text.atMs();
            }
        }
        Traffic traffic = new Traffic(texts.size(), sent, Figures.percentile(latencies, 0.99), videoCount, videosSent);
        LOG.info("hol, {}: {}", side, traffic);
        return traffic;
    }

    /**
     * One published job.
     *
     * @param to    the recipient's digits (as the sandbox records them)
     * @param atMs  publish time, epoch milliseconds
     * @param video a video job rather than a text
     */
    private record Published(String to, long atMs, boolean video) {
    }

    /**
     * Publishes single-recipient jobs at {@code perSecond} for {@code length}: every tenth a video
     * by {@code videoLink} (none when null).
     */
    private static List<Published> offer(JobFeed feed, String campaign, Duration length, double perSecond,
                                         long firstRecipient, String videoLink) {
        List<Published> published = new ArrayList<>();
        int count = (int) (length.toMillis() * perSecond / 1000);
        long start = System.nanoTime();
        long interval = (long) (1e9 / perSecond);
        for (int i = 0; i < count; i++) {
            JobFeed.sleepNanos(start + i * interval - System.nanoTime());
            boolean isVideo = videoLink != null && i % 10 == 9;
            long recipient = firstRecipient + i;
            feed.publish(JobFeed.single(campaign + "-" + i, campaign, "hol", recipient,
                    isVideo ? JobFeed.mediaLink("video", videoLink) : JobFeed.text("Your parcel " + i + " is on its way")));
            published.add(new Published(JobFeed.recipient(recipient).substring(1), System.currentTimeMillis(), isVideo));
        }
        feed.flush();
        return published;
    }

    private static void awaitAccepted(SandboxServer sandbox, BenchChannel channel, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sandbox.stats(channel.numberId()).accepted() < count && System.nanoTime() < deadline) {
            ChildJvm.sleep(100);
        }
    }

    /** A playable-looking MP4 (the bundled sample) padded with zeros to 16 MB − 1 KB. */
    private static Path video(Path file) throws IOException {
        byte[] sample = MediaOrigin.sample("sample.mp4");
        byte[] zeros = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(sample);
            for (long left = VIDEO_BYTES - sample.length; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
        return file;
    }
}
