package io.wabatch.sandbox.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.wabatch.sandbox.api.EventValues.TemplateRef;
import io.wabatch.sandbox.api.templates.Template;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /_sandbox/events}: builds a platform event in Meta's shape ({@link EventValues}), makes the sandbox act
 * on it where the API would ({@link #apply}), then posts it signed to the webhook URL, once, and answers with the
 * receiver's status. The sandbox acts first, so a receiver that reacts at once already meets the new rules.
 */
final class PlatformEvents {

    /** Meta: "The upgrade process itself can take up to 1 minute." */
    static final Duration UPGRADE_WINDOW = Duration.ofMinutes(1);
    /** Meta: up to 1,000 messages per second after the automatic upgrade. */
    static final int UPGRADED_MPS = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> TEMPLATE_KEYS = Set.of("name", "language", "template_id", "category");

    private final SandboxState state;

    PlatformEvents(SandboxState state) {
        this.state = state;
    }

    /**
     * An event ready to post, with what the sandbox changed because of it.
     *
     * @param field   the webhook field
     * @param wabaId  the account ({@code entry[].id})
     * @param body    the whole POST body
     * @param effects what the sandbox now enforces because of it, in words (empty: nothing)
     */
    record Prepared(String field, String wabaId, ObjectNode body, List<String> effects) {
    }

    /** Reads, builds and applies one event; {@link IllegalArgumentException} for a bad request (nothing applied). */
    Prepared prepare(JsonNode request) {
        EventRequest event = EventRequest.read(request, state);
        long now = System.currentTimeMillis();
        List<Runnable> effects = new ArrayList<>();
        List<String> described = new ArrayList<>();
        JsonNode value = build(event, now, (what, action) -> {
            described.add(what);
            effects.add(action);
        });
        effects.forEach(Runnable::run);
        return new Prepared(event.field(), event.wabaId(),
                EventValues.envelope(event.wabaId(), event.field(), value, now / 1000), List.copyOf(described));
    }

    /** Posts a prepared event; completes with the answer {@code {"field", "waba_id", "posted", "status", ...}}. */
    Future<ObjectNode> post(Prepared event) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(event.body());
        } catch (JsonProcessingException e) {
            return Future.failedFuture(e);
        }
        return state.webhooks().postEvent(bytes).transform(ar -> {
            ObjectNode answer = JsonNodeFactory.instance.objectNode().put("field", event.field())
                    .put("waba_id", event.wabaId());
            answer.put("posted", ar.succeeded() && ar.result() != null);
            answer.put("status", ar.succeeded() ? ar.result() : null);
            answer.put("error", ar.failed() ? String.valueOf(ar.cause()) : null);
            event.effects().forEach(answer.putArray("effects")::add);
            answer.set("body", event.body());
            return Future.succeededFuture(answer);
        });
    }

    /** Collects an effect to apply once the whole event is known to be valid. */
    @FunctionalInterface
    interface Effects {
        void add(String description, Runnable action);
    }

    private JsonNode build(EventRequest event, long now, Effects effects) {
        if (event.params().has("value")) {
            event.allow(Set.of("value"));
            return event.params().get("value");
        }
        return switch (event.field()) {
            case "user_preferences" -> userPreferences(event, now, effects);
            case "message_template_status_update" -> templateStatus(event, now, effects);
            case "template_category_update" -> templateCategory(event, now, effects);
            case "message_template_quality_update" -> templateQuality(event);
            case "phone_number_quality_update" -> phoneNumberQuality(event, now, effects);
            case "business_capability_update" -> BusinessEvents.capability(state, event, effects);
            case "account_update" -> BusinessEvents.account(state, event, now, effects);
            case "messages" -> BusinessEvents.system(state, event, now);
            default -> throw new IllegalArgumentException("field '" + event.field() + "' has no builder; post it raw"
                    + " with \"value\" (known: user_preferences, message_template_status_update,"
                    + " template_category_update, message_template_quality_update, phone_number_quality_update,"
                    + " business_capability_update, account_update, messages)");
        };
    }

    private JsonNode userPreferences(EventRequest event, long now, Effects effects) {
        event.allow(Set.of("user", "preference", "name"));
        NumberState number = event.requireNumber();
        Recipient user = state.person(number, event.required("user"));
        String preference = event.text("preference", "stop");
        if (!preference.equals("stop") && !preference.equals("resume")) {
            throw new IllegalArgumentException("user_preferences: 'preference' is stop or resume, got " + preference);
        }
        boolean stop = preference.equals("stop");
        effects.add((stop ? "stopped" : "resumed") + " marketing messages from " + number.id() + " to " + user.key(),
                () -> state.platform().marketingPreference(number.id(), user.key(), stop));
        return EventValues.userPreferences(metadata(number), user, event.text("name", "Customer"), preference,
                now / 1000);
    }

    private JsonNode templateStatus(EventRequest event, long now, Effects effects) {
        event.allow(union(TEMPLATE_KEYS, "event", "reason", "title"));
        String name = event.required("name");
        String language = event.required("language");
        String eventName = event.required("event").toUpperCase(Locale.ROOT);
        Template template = template(event.wabaId(), name, language);
        String status = TemplateStatusEvents.statusAfter(eventName);
        if (template != null && status != null) {
            effects.add("template " + name + " (" + language + ") is " + status + " in the catalogue of "
                    + event.wabaId(), () -> state.catalogues().status(event.wabaId(), name, language, status));
        }
        String title = event.text("title", TemplateStatusEvents.defaultTitle(eventName,
                template == null ? null : template.status()));
        String reason = event.params().has("reason") ? event.text("reason", null)
                : eventName.equals("PENDING_DELETION") ? null : "NONE";
        return EventValues.templateStatus(ref(event, template), eventName, reason, title, now / 1000);
    }

    private JsonNode templateCategory(EventRequest event, long now, Effects effects) {
        event.allow(union(TEMPLATE_KEYS, "correct_category", "category_update_timestamp", "previous_category",
                "new_category"));
        String name = event.required("name");
        String language = event.required("language");
        Template template = template(event.wabaId(), name, language);
        if (event.node("correct_category") != null) {
            long at = event.node("category_update_timestamp") != null
                    ? event.node("category_update_timestamp").asLong() : now / 1000 + 86_400;
            return EventValues.categoryImpending(ref(event, template), upper(event.required("correct_category")), at);
        }
        String next = upper(event.required("new_category"));
        String previous = upper(event.text("previous_category", template == null ? null : template.category()));
        if (previous == null) {
            throw new IllegalArgumentException("template_category_update: 'previous_category' is required when the"
                    + " catalogue does not know the template (or give 'correct_category' for an impending change)");
        }
        if (!Template.CATEGORIES.contains(next)) {
            throw new IllegalArgumentException("template_category_update: new_category must be one of "
                    + Template.CATEGORIES + ", got " + next);
        }
        if (template != null) {
            effects.add("template " + name + " (" + language + ") is " + next + " in the catalogue of "
                    + event.wabaId(), () -> state.catalogues().category(event.wabaId(), name, language, next));
        }
        return EventValues.categoryChanged(ref(event, template), previous, next);
    }

    private JsonNode templateQuality(EventRequest event) {
        event.allow(union(TEMPLATE_KEYS, "previous_quality_score", "new_quality_score"));
        Template template = template(event.wabaId(), event.required("name"), event.required("language"));
        return EventValues.templateQuality(ref(event, template), upper(event.text("previous_quality_score", "GREEN")),
                upper(event.required("new_quality_score")));
    }

    private JsonNode phoneNumberQuality(EventRequest event, long now, Effects effects) {
        event.allow(Set.of("event", "old_limit", "current_limit", "max_daily_conversations_per_business",
                "upgrade_window", "mps"));
        NumberState number = event.requireNumber();
        String eventName = event.required("event").toUpperCase(Locale.ROOT);
        boolean upgrade = eventName.equals("THROUGHPUT_UPGRADE");
        if (upgrade) {
            Duration window = event.node("upgrade_window") == null ? UPGRADE_WINDOW
                    : SettingsJson.duration(event.node("upgrade_window"), "upgrade_window");
            int mps = event.node("mps") == null ? UPGRADED_MPS : event.node("mps").asInt();
            if (mps < 1) {
                throw new IllegalArgumentException("phone_number_quality_update: mps must be at least 1, got " + mps);
            }
            effects.add("number " + number.id() + " answers 131057 for " + window.toMillis() + " ms, then takes "
                    + mps + " messages per second", () -> upgrade(number, now + window.toMillis(), mps));
        }
        return EventValues.phoneNumberQuality(displayDigits(number), eventName, event.text("old_limit", null),
                event.text("current_limit", upgrade ? "TIER_UNLIMITED" : null),
                event.text("max_daily_conversations_per_business", null));
    }

    private void upgrade(NumberState number, long untilMs, int mps) {
        number.startUpgrade(untilMs, mps);
        // Applied on the first send after the window too; the timer makes stats and mps() show it without one.
        state.vertx().setTimer(Math.max(1, untilMs - System.currentTimeMillis()),
                t -> number.inMaintenance(System.currentTimeMillis()));
    }

    private Template template(String wabaId, String name, String language) {
        return state.catalogues().of(wabaId).flatMap(c -> c.find(name, language)).orElse(null);
    }

    private static TemplateRef ref(EventRequest event, Template template) {
        String id = event.text("template_id", template == null ? null : template.id());
        String category = event.text("category", template == null ? null : template.category());
        return new TemplateRef(id, event.required("name"), event.required("language"), upper(category));
    }

    static ObjectNode metadata(NumberState number) {
        return EventValues.metadata(displayDigits(number), number.id());
    }

    /** The number's display phone as Meta writes it in webhooks: digits only. */
    static String displayDigits(NumberState number) {
        String digits = number.number().displayPhone().replaceAll("\\D", "");
        return digits.isEmpty() ? number.id() : digits;
    }

    static String upper(String text) {
        return text == null ? null : text.toUpperCase(Locale.ROOT);
    }

    static Set<String> union(Set<String> base, String... more) {
        Set<String> all = new java.util.HashSet<>(base);
        all.addAll(List.of(more));
        return all;
    }

    /** Today as Meta writes {@code waba_ban_date} ("April 17, 2025"). */
    static String banDate(long nowMs) {
        return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(nowMs), ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH));
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }
}
