package io.wabatch.ops.campaign;

import io.wabatch.common.contract.CampaignFunnel;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** The funnel as {@code wabatch campaign status} prints it. */
public final class FunnelText {

    private FunnelText() {
    }

    public static String render(CampaignFunnel f, Instant now) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "campaign %s: %s%s%n", f.campaignId(), f.state(),
                f.reason() == null || "running".equals(f.state()) ? "" : " (" + f.by() + ": " + f.reason() + ")"));
        f.warnings().forEach((kind, warning) -> out.append(String.format(Locale.ROOT, "  warning    %s%n", warning)));
        line(out, "published", f.published() == null ? "unknown (not published with 'wabatch campaign publish')"
                : String.format(Locale.ROOT, "%,d", f.published()));
        line(out, "seen", count(f.jobs()) + " jobs, " + count(f.finished()) + " finished");
        line(out, "uploaded", count(f.uploaded()));
        line(out, "accepted", count(f.accepted()));
        line(out, "sent", count(f.sent()));
        line(out, "delivered", count(f.delivered()));
        line(out, "read", count(f.read()));
        line(out, "failed", count(f.failed()) + (f.failedByCode().isEmpty() ? "" : "  " + codes(f.failedByCode())));
        line(out, "expired", count(f.expired()));
        line(out, "cancelled", count(f.cancelled()));
        line(out, "parked", count(f.parked()));
        line(out, "in doubt", count(f.inDoubt()));
        line(out, "suppressed", count(f.suppressed()));
        if (!f.pricing().isEmpty()) {
            line(out, "pricing", codes(f.pricing()));
        }
        cost(out, f);
        double rate = f.acceptRate();
        if (rate > 0) {
            String eta = "";
            if (f.published() != null && f.finished() < f.published() && "running".equals(f.state())) {
                eta = ", ETA " + duration(Duration.ofMillis((long) ((f.published() - f.finished()) / rate * 1000)));
            }
            line(out, "rate", String.format(Locale.ROOT, "%.1f msg/s%s", rate, eta));
        }
        line(out, "updated", f.updatedAt() + " (" + duration(Duration.between(f.updatedAt(), now)) + " ago)");
        return out.toString();
    }

    /**
     * Charged and free messages by category, and the estimated cost the funnel aggregator computed with its rate
     * card ({@code funnel.rate.card}); this command needs no rate card of its own.
     */
    private static void cost(StringBuilder out, CampaignFunnel f) {
        if (f.charged().isEmpty() && f.free().isEmpty()) {
            return;
        }
        line(out, "charged", count(f.chargedTotal()) + (f.charged().isEmpty() ? "" : "  " + codes(f.charged())));
        line(out, "free", count(f.freeTotal()) + (f.free().isEmpty() ? "" : "  " + codes(f.free())));
        if (f.estimatedCost() == null) {
            line(out, "cost", "not estimated (the funnel aggregator has no funnel.rate.card)");
            return;
        }
        String unpriced = f.unpriced() == 0 ? "" : String.format(Locale.ROOT,
                " (%,d charged messages without a price in the rate card not included)", f.unpriced());
        line(out, "cost", String.format(Locale.ROOT, "%s %s estimated%s", f.currency(),
                f.estimatedCost().setScale(Math.max(2, f.estimatedCost().scale()), java.math.RoundingMode.UNNECESSARY)
                        .toPlainString(), unpriced));
    }

    /** {@code 1h 02m}, {@code 4m 10s}, {@code 12s}. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return s + "s";
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "  %-10s %s%n", label, value));
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String codes(Map<String, Long> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((code, n) -> text.append(text.length() == 0 ? "" : ", ").append(code).append(": ")
                .append(String.format(Locale.ROOT, "%,d", n)));
        return text.toString();
    }
}
