package io.wabatch.ops.cli;

import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.template.TemplateCatalogue;
import io.wabatch.common.template.TemplateDefinition;
import io.wabatch.ops.template.Catalogues;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wabatch templates sync|list}: the template catalogue from the command line. {@code sync}
 * lists accounts' templates from the API into the compacted catalogue topic (what upload workers do
 * on a schedule with {@code templates.accounts}); {@code list} prints what the topic holds.
 */
@Command(name = "templates", mixinStandardHelpOptions = true,
        description = "The template catalogue: list business accounts' message templates from the API into the "
                + "catalogue topic (wa.templates), or show what it holds. Upload workers check every template job "
                + "of a listed account against it before uploading or sending anything.",
        subcommands = {TemplatesCommand.Sync.class, TemplatesCommand.Listing.class})
final class TemplatesCommand {

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "List accounts' templates from the API (Meta GET /{waba-id}/message_templates, 360dialog "
                    + "GET /v1/configs/templates) with the credential of each account's first channel, and write "
                    + "what changed to the catalogue topic. Exit code 1 when an account could not be listed.")
    static final class Sync implements Callable<Integer> {

        @Mixin
        CampaignOptions kafka;

        @Option(names = "--channels", required = true, description = "Channel registry file (each account is a "
                + "channel's waba_id; its credential lists the templates).")
        Path channels;

        @Option(names = "--account", description = "An account (waba_id) to list; repeat for several. Default: "
                + "every account of the registry.")
        List<String> accounts;

        @Override
        public Integer call() throws Exception {
            ChannelRegistry registry = ChannelRegistry.load(channels, System::getenv);
            List<String> wanted = accounts == null || accounts.isEmpty() ? Catalogues.accounts(registry)
                    : accounts;
            if (wanted.isEmpty()) {
                System.err.println("no channel of " + channels + " has a waba_id: there is no account to list");
                return 2;
            }
            String topic = kafka.topics().templates();
            TemplateCatalogue catalogue = Catalogues.read(kafka.bootstrap, topic);
            int failed = 0;
            for (Catalogues.Outcome outcome : Catalogues.sync(kafka.bootstrap, topic, catalogue, registry, wanted)) {
                if (outcome.result() == null) {
                    failed++;
                    System.err.printf("account %s: not listed: %s%n", outcome.wabaId(), outcome.error());
                } else {
                    System.out.printf("account %s (channel %s): %d template%s, %d written, %d removed%s%n",
                            outcome.wabaId(), outcome.channel(), outcome.result().templates(),
                            outcome.result().templates() == 1 ? "" : "s",
                            outcome.result().changed(), outcome.result().removed(), outcome.result().skipped() > 0
                                    ? ", " + outcome.result().skipped() + " without name or language ignored" : "");
                }
            }
            return failed == 0 ? 0 : 1;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print the catalogue: each account's last listing and its templates with status, category "
                    + "and what they take.")
    static final class Listing implements Callable<Integer> {

        @Mixin
        CampaignOptions kafka;

        @Option(names = "--account", description = "Only this account (waba_id).")
        String account;

        @Override
        public Integer call() {
            TemplateCatalogue catalogue = Catalogues.read(kafka.bootstrap, kafka.topics().templates());
            List<String> accounts = catalogue.accounts().stream().sorted()
                    .filter(a -> account == null || a.equals(account)).toList();
            if (accounts.isEmpty()) {
                System.out.println("no account has been listed" + (account == null ? "" : " as " + account)
                        + ": run 'wabatch templates sync'");
            }
            for (String id : accounts) {
                TemplateCatalogue.Account a = catalogue.account(id).orElseThrow();
                System.out.printf("account %s: %d template%s, listed %s with channel %s%n", id, a.templates(),
                        a.templates() == 1 ? "" : "s", a.syncedAt(), a.channel());
                catalogue.keys(id).stream().sorted().forEach(key -> {
                    String[] parts = key.split("/", 3);
                    catalogue.find(id, parts[1], parts[2]).ifPresent(d -> System.out.println("  " + describe(d)));
                });
            }
            return 0;
        }

        static String describe(TemplateDefinition d) {
            StringBuilder out = new StringBuilder(String.format("%-40s %-10s %-15s", d.label(), d.status(),
                    d.category()));
            if (d.layout().header() != null) {
                out.append(" header ").append(d.layout().header().format());
            }
            out.append(" body ").append(d.layout().body().size());
            if (!d.layout().buttons().isEmpty()) {
                out.append(" buttons ").append(d.layout().buttons().stream()
                        .map(TemplateDefinition.Button::kind).toList());
            }
            if (d.carousel()) {
                out.append(" carousel ").append(d.cards().size()).append(" cards");
            }
            return out.toString();
        }
    }
}
