package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;

/**
 * The table of structurally valid and invalid jobs shared by the validator and schema tests.
 * {@code path} is the field the validator must blame (null for valid jobs). Rules only the
 * validator can check (a known channel, possible numbers, {@code not_before} earlier than
 * {@code not_after}) stay out of the table; {@link JobValidatorTest} covers them.
 */
final class JobCases {

    record Case(String name, ObjectNode job, String path) {
        boolean valid() {
            return path == null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private JobCases() {
    }

    /** Breakers of rules a schema cannot state (unique card indexes, one header type, one button kind). */
    static final java.util.Set<String> VALIDATOR_ONLY = java.util.Set.of("template carousel of mixed image and video",
            "template carousel with a card index twice", "interactive carousel with buttons of two kinds",
            "interactive carousel of mixed image and video");

    static List<Case> all() {
        List<Case> all = new java.util.ArrayList<>(table());
        java.util.function.Function<String, String> link = name -> "https://cdn.example.com/" + name;
        MediaPositionCorpus.bodies(link).forEach(b -> all.add(ok(b.name(), msg(b.message().toString()))));
        MediaPositionCorpus.breakers(link).stream().filter(b -> !VALIDATOR_ONLY.contains(b.name()))
                .forEach(b -> all.add(bad(b.name(), msg(b.message().toString()), b.path())));
        return all;
    }

    private static List<Case> table() {
        return List.of(
                ok("image by link", JobFixtures.base()),
                ok("image by id", msg("{\"type\":\"image\",\"image\":{\"id\":\"123456\"}}")),
                ok("text", msg("{\"type\":\"text\",\"text\":{\"body\":\"Hello\"}}")),
                ok("document with filename", msg("{\"type\":\"document\",\"document\":{\"link\":\"https://x.example/a.pdf\",\"filename\":\"a.pdf\",\"caption\":\"c\"}}")),
                ok("audio", msg("{\"type\":\"audio\",\"audio\":{\"link\":\"http://x.example/a.ogg\"}}")),
                ok("sticker", msg("{\"type\":\"sticker\",\"sticker\":{\"id\":\"99\"}}")),
                ok("video", msg("{\"type\":\"video\",\"video\":{\"link\":\"https://x.example/v.mp4\",\"caption\":\"v\"}}")),
                ok("template with image header", msg(TEMPLATE.formatted("{\"link\":\"https://x.example/h.jpg\"}"))),
                ok("interactive passes through", msg("{\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":\"?\"}}}")),
                ok("batch of strings and objects", edit(j -> j.remove("to"), j -> j.set("recipients", JobFixtures.node(
                        "[\"+4915123456789\",{\"to\":\"+31612345678\",\"vars\":{\"name\":\"Ana\"}}]")))),
                ok("unknown fields kept", edit(j -> j.put("x_custom", "kept"))),
                ok("no not_after, no callback_data", edit(j -> j.remove("not_after"), j -> j.remove("callback_data"))),
                bad("v missing", edit(j -> j.remove("v")), "v"),
                bad("v unknown", edit(j -> j.put("v", 2)), "v"),
                bad("job_id missing", edit(j -> j.remove("job_id")), "job_id"),
                bad("job_id too long", edit(j -> j.put("job_id", "x".repeat(65))), "job_id"),
                bad("job_id bad character", edit(j -> j.put("job_id", "a b")), "job_id"),
                bad("campaign_id bad character", edit(j -> j.put("campaign_id", "a|b")), "campaign_id"),
                bad("channel missing", edit(j -> j.remove("channel")), "channel"),
                ok("recipient instead of to", edit(j -> j.remove("to"), j -> j.put("recipient", "US.13491208655302741918"))),
                ok("recipient next to to", edit(j -> j.put("recipient", "US.13491208655302741918"))),
                ok("batch with BSUIDs", edit(j -> j.remove("to"), j -> j.set("recipients", JobFixtures.node(
                        "[\"US.13491208655302741918\",{\"recipient\":\"US.ENT.1181579921\"},"
                        + "{\"to\":\"+4915123456789\",\"recipient\":\"DE.1\"}]")))),
                bad("recipient and recipients", edit(j -> j.remove("to"), j -> j.put("recipient", "US.1"),
                        j -> j.set("recipients", JobFixtures.node("[\"+4915123456789\"]"))), "recipient"),
                bad("recipient entry with neither to nor recipient", edit(j -> j.remove("to"), j -> j.set("recipients",
                        JobFixtures.node("[{\"vars\":{\"name\":\"Ana\"}}]"))), "recipients[0]"),
                bad("message carries recipient", msg("{\"type\":\"text\",\"recipient\":\"US.1\",\"text\":{\"body\":\"x\"}}"),
                        "message.recipient"),
                bad("to and recipients", edit(j -> j.set("recipients", JobFixtures.node("[\"+4915123456789\"]"))), "to"),
                bad("neither to nor recipients", edit(j -> j.remove("to")), "to|recipients"),
                bad("recipients empty", edit(j -> j.remove("to"), j -> j.set("recipients", JobFixtures.node("[]"))), "recipients"),
                bad("recipients over 1000", edit(j -> j.remove("to"), j -> j.set("recipients", many(1001))), "recipients"),
                bad("recipient object without to", edit(j -> j.remove("to"), j -> j.set("recipients", JobFixtures.node("[{\"vars\":{}}]"))), "recipients[0]"),
                bad("message missing", edit(j -> j.remove("message")), "message"),
                ok("contacts", msg("{\"type\":\"contacts\",\"contacts\":[{\"name\":{\"formatted_name\":\"Ana Silva\"}}]}")),
                bad("contacts as an object", msg("{\"type\":\"contacts\",\"contacts\":{\"name\":{\"formatted_name\":\"Ana Silva\"}}}"), "message.contacts"),
                bad("contacts empty", msg("{\"type\":\"contacts\",\"contacts\":[]}"), "message.contacts"),
                bad("contacts of strings", msg("{\"type\":\"contacts\",\"contacts\":[\"Ana Silva\"]}"), "message.contacts[0]"),
                ok("type missing: a text message", msg("{\"text\":{\"body\":\"Hello\"}}")),
                bad("type missing: a text message without text", msg("{\"image\":{\"id\":\"1\"}}"), "message.text"),
                bad("type not a string", msg("{\"type\":1,\"text\":{\"body\":\"Hello\"}}"), "message.type"),
                bad("type unknown", msg("{\"type\":\"hologram\",\"hologram\":{}}"), "message.type"),
                bad("typed object missing", msg("{\"type\":\"image\"}"), "message.image"),
                bad("media with id and link", msg("{\"type\":\"image\",\"image\":{\"id\":\"1\",\"link\":\"https://x.example/a.jpg\"}}"), "message.image"),
                bad("media with neither id nor link", msg("{\"type\":\"image\",\"image\":{\"caption\":\"c\"}}"), "message.image"),
                bad("ftp link", msg("{\"type\":\"image\",\"image\":{\"link\":\"ftp://x.example/a.jpg\"}}"), "message.image.link"),
                bad("caption on audio", msg("{\"type\":\"audio\",\"audio\":{\"link\":\"https://x.example/a.ogg\",\"caption\":\"c\"}}"), "message.audio.caption"),
                bad("caption on sticker", msg("{\"type\":\"sticker\",\"sticker\":{\"id\":\"1\",\"caption\":\"c\"}}"), "message.sticker.caption"),
                bad("caption over 1024", msg("{\"type\":\"image\",\"image\":{\"id\":\"1\",\"caption\":\"" + "c".repeat(1025) + "\"}}"), "message.image.caption"),
                bad("filename on image", msg("{\"type\":\"image\",\"image\":{\"id\":\"1\",\"filename\":\"a.jpg\"}}"), "message.image.filename"),
                bad("text without body", msg("{\"type\":\"text\",\"text\":{}}"), "message.text.body"),
                bad("text over 4096", msg("{\"type\":\"text\",\"text\":{\"body\":\"" + "b".repeat(4097) + "\"}}"), "message.text.body"),
                bad("template without name", msg("{\"type\":\"template\",\"template\":{\"language\":{\"code\":\"en\"}}}"), "message.template.name"),
                bad("template without language", msg("{\"type\":\"template\",\"template\":{\"name\":\"promo\"}}"), "message.template.language"),
                bad("template header with id and link", msg(TEMPLATE.formatted("{\"id\":\"1\",\"link\":\"https://x.example/h.jpg\"}")), "message.template.components[0].parameters[0].image"),
                bad("template header with file link", msg(TEMPLATE.formatted("{\"link\":\"file:///etc/passwd\"}")), "message.template.components[0].parameters[0].image.link"),
                bad("message carries to", msg("{\"type\":\"text\",\"to\":\"+4915123456789\",\"text\":{\"body\":\"x\"}}"), "message.to"),
                bad("callback_data over 512", edit(j -> j.put("callback_data", "d".repeat(513))), "callback_data"),
                bad("not_after not a date", edit(j -> j.put("not_after", "tomorrow")), "not_after"),
                ok("not_before before not_after", edit(j -> j.put("not_before", "2026-11-30T08:00:00Z"))),
                ok("not_before without not_after", edit(j -> j.remove("not_after"), j -> j.put("not_before", "2026-11-30T08:00:00Z"))),
                ok("not_before with an offset", edit(j -> j.put("not_before", "2026-11-30T09:00:00+01:00"))),
                ok("not_before null", edit(j -> j.putNull("not_before"))),
                bad("not_before not a date", edit(j -> j.put("not_before", "tomorrow")), "not_before"),
                bad("not_before a date without time", edit(j -> j.put("not_before", "2026-11-30")), "not_before"),
                bad("not_before epoch seconds", edit(j -> j.put("not_before", 1_764_489_600L)), "not_before"),
                ok("in_doubt park", edit(j -> j.put("in_doubt", "park"))),
                ok("in_doubt resend", edit(j -> j.put("in_doubt", "resend"))),
                ok("in_doubt null", edit(j -> j.putNull("in_doubt"))),
                bad("in_doubt unknown word", edit(j -> j.put("in_doubt", "retry")), "in_doubt"),
                bad("in_doubt upper case", edit(j -> j.put("in_doubt", "RESEND")), "in_doubt"),
                bad("in_doubt empty", edit(j -> j.put("in_doubt", "")), "in_doubt"),
                bad("in_doubt boolean", edit(j -> j.put("in_doubt", true)), "in_doubt"),
                bad("in_doubt list", edit(j -> j.set("in_doubt", JobFixtures.node("[\"resend\"]"))), "in_doubt"));
    }

    static final String TEMPLATE = """
            {"type":"template","template":{"name":"promo","language":{"code":"de"},
             "components":[{"type":"header","parameters":[{"type":"image","image":%s}]},
                           {"type":"body","parameters":[{"type":"text","text":"Ana"}]}]}}
            """;

    private static Case ok(String name, ObjectNode job) {
        return new Case(name, job, null);
    }

    private static Case bad(String name, ObjectNode job, String path) {
        return new Case(name, job, path);
    }

    private static ObjectNode msg(String message) {
        return JobFixtures.withMessage(message);
    }

    @SafeVarargs
    private static ObjectNode edit(Consumer<ObjectNode>... edits) {
        ObjectNode job = JobFixtures.base();
        for (Consumer<ObjectNode> edit : edits) {
            edit.accept(job);
        }
        return job;
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode many(int n) {
        var array = Json.mapper().createArrayNode();
        for (int i = 0; i < n; i++) {
            array.add("+491510000" + String.format("%04d", i));
        }
        return array;
    }
}
