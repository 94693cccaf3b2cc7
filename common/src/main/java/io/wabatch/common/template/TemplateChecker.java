package io.wabatch.common.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Checks a job's {@code template} object (the send body's, already valid by the job contract) against
 * the account's catalogue, as the API would: the template exists in that language (132001), is
 * approved (132015 paused, 132016 disabled, ...), and the job gives each component the parameters it
 * takes (132000), the carousel the approved number of cards (132012), each button parameter the
 * button's kind, and a media header the header's format. Pure.
 *
 * <p>Lenient where the catalogue is: only what the definition states is held against a job (a button
 * kind wabatch does not know, a template listed without status, parameter types beyond a media
 * header's); component, sub-type and parameter types are read in any letter case.
 */
public final class TemplateChecker {

    private TemplateChecker() {
    }

    /** The first reason the job's template cannot succeed in {@code account}, or empty when it can. */
    public static Optional<TemplateProblem> check(JsonNode template, TemplateLookup account) {
        String name = TemplateDefinition.text(template.path("name"));
        String language = TemplateDefinition.text(template.path("language").path("code"));
        if (name == null || language == null) {
            return Optional.empty(); // the job contract's to refuse
        }
        Optional<TemplateDefinition> found = account.find(name, language);
        if (found.isEmpty()) {
            return Optional.of(unknown(name, language, account));
        }
        TemplateDefinition definition = found.get();
        if (!definition.approved()) {
            return Optional.of(notApproved(definition, account));
        }
        List<String> mismatches = mismatches(template, definition);
        return mismatches.isEmpty() ? Optional.empty()
                : Optional.of(new TemplateProblem(TemplateProblem.MISMATCH, String.join("; ", mismatches)));
    }

    /** Every way the job's template differs from {@code definition}, each a sentence naming the template. */
    public static List<String> mismatches(JsonNode template, TemplateDefinition definition) {
        List<String> out = new ArrayList<>();
        String label = "template " + definition.label();
        JobTemplate given = JobTemplate.of(template);
        LayoutCheck.check(label, definition.layout(), given.layout(), definition.named(), out);
        carousel(label, definition, given, out);
        if (given.limitedTimeOffer() && !definition.limitedTimeOffer()) {
            out.add(label + " has no limited-time offer, the job gives a limited_time_offer component");
        }
        return out;
    }

    private static void carousel(String label, TemplateDefinition definition, JobTemplate given, List<String> out) {
        if (!definition.carousel()) {
            if (given.carousel() != null) {
                out.add(label + " has no carousel, the job gives one with " + given.carousel().size() + " cards");
            }
            return;
        }
        int approved = definition.cards().size();
        if (given.carousel() == null) {
            out.add(label + " is a carousel of " + approved + " cards, the job gives no carousel component");
            return;
        }
        List<JobTemplate.Layout> cards = given.orderedCards(approved);
        if (cards == null) {
            out.add(label + " carousel has " + approved + " cards, the job gives " + given.carousel().size());
            return;
        }
        for (int k = 0; k < approved; k++) {
            LayoutCheck.check(label + " card " + k, definition.cards().get(k), cards.get(k), definition.named(), out);
        }
    }

    private static TemplateProblem unknown(String name, String language, TemplateLookup account) {
        SortedSet<String> languages = account.languages(name);
        String where = "account " + account.accountId() + "'s catalogue (" + LayoutCheck.count(account.size(), "template")
                + (account.syncedAt() == null ? "" : ", listed " + account.syncedAt()) + ")";
        if (languages.isEmpty()) {
            return new TemplateProblem(TemplateProblem.UNKNOWN, "template " + name + " is not in " + where
                    + "; check the name, or run 'wabatch templates sync' if it was created since");
        }
        return new TemplateProblem(TemplateProblem.UNKNOWN, "template " + name + " has no " + language
                + " translation in " + where + "; it exists in " + String.join(", ", languages));
    }

    private static TemplateProblem notApproved(TemplateDefinition definition, TemplateLookup account) {
        String where = "template " + definition.label() + " is " + definition.status() + " in account "
                + account.accountId();
        if ("PAUSED".equals(definition.status())) {
            return new TemplateProblem(TemplateProblem.PAUSED, where + ": Meta paused it for low quality and "
                    + "refuses to send it (132015) until it is APPROVED again; publish the job again then");
        }
        return new TemplateProblem(TemplateProblem.NOT_APPROVED, where + ", not APPROVED: it cannot be sent in "
                + "this state");
    }
}
