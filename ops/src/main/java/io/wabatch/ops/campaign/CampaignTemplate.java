package io.wabatch.ops.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.template.TemplateCatalogue;
import io.wabatch.common.template.TemplateChecker;
import io.wabatch.common.template.TemplateDefinition;
import io.wabatch.common.template.TemplateLookup;
import io.wabatch.common.template.TemplateProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code wabatch campaign publish} learns about a template campaign from the template catalogue:
 * the campaign's category (the producer's {@code --category}, else the template's), a mismatch between
 * the two (reported, not refused: the producer may say otherwise), and a job that cannot succeed
 * (refused, as the upload worker would dead-letter every one of its jobs). Pure.
 */
public final class CampaignTemplate {

    /**
     * @param category the campaign's category: the declared one, else the template's, else null (the policy's
     *                 default, marketing, which suppresses opted-out recipients)
     * @param notes    lines for the report
     * @param warnings lines for stderr; the campaign is published anyway
     * @param problem  why every job would be dead-lettered, or null
     */
    public record Verdict(String category, List<String> notes, List<String> warnings, String problem) {
    }

    private CampaignTemplate() {
    }

    /**
     * @param declared the {@code --category} given, or null
     * @param wabaId   the channel's account, or null when the channel's registry entry is not known
     */
    public static Verdict judge(JsonNode message, String declared, String wabaId, TemplateCatalogue catalogue) {
        List<String> notes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        JsonNode template = message.path("template");
        String name = text(template.path("name"));
        String language = text(template.path("language").path("code"));
        if (!"template".equals(message.path("type").asText()) || name == null || language == null) {
            return new Verdict(declared, notes, warnings, null);
        }
        String problem = null;
        Set<String> categories = new TreeSet<>();
        Optional<TemplateLookup> account = wabaId == null ? Optional.empty() : catalogue.lookup(wabaId);
        if (account.isPresent()) {
            Optional<TemplateProblem> found = TemplateChecker.check(template, account.get());
            problem = found.map(p -> p.code() + ": " + p.reason()).orElse(null);
            account.get().find(name, language).flatMap(TemplateDefinition::campaignCategory).ifPresent(categories::add);
        } else {
            notes.add("template catalogue: " + (wabaId == null ? "the channel's account is not known (give --channels)"
                    : "account " + wabaId + " has not been listed (run 'wabatch templates sync')")
                    + "; the template is not checked");
            for (String other : catalogue.accounts()) {
                catalogue.find(other, name, language).flatMap(TemplateDefinition::campaignCategory)
                        .ifPresent(categories::add);
            }
        }
        String fromTemplate = categories.size() == 1 ? categories.iterator().next() : null;
        String label = "template " + name + " (" + language + ")";
        if (declared == null) {
            notes.add(fromTemplate != null ? "category: " + fromTemplate + " (from " + label + ")"
                    : "category: marketing (the default: no --category, and the catalogue knows no single category "
                    + "of " + label + ")");
            return new Verdict(fromTemplate, notes, warnings, problem);
        }
        if (fromTemplate != null && !fromTemplate.equalsIgnoreCase(declared)) {
            warnings.add("category: --category " + declared + ", but " + label + " is " + fromTemplate + ": wabatch "
                    + "applies " + declared + "'s rules to this campaign (" + ("marketing".equals(declared)
                    ? "opted-out customers are suppressed" : "opted-out customers are not suppressed")
                    + "), while WhatsApp prices and judges its messages as " + fromTemplate);
        }
        return new Verdict(declared, notes, warnings, problem);
    }

    private static String text(JsonNode value) {
        return value.isValueNode() && !value.asText().isBlank() ? value.asText().strip() : null;
    }
}
