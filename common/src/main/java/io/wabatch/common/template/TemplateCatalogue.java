package io.wabatch.common.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The template catalogue in memory: every account's templates and the record of its last complete
 * listing, applied record by record from the compacted topic ({@link #apply}) in log order, whoever
 * wrote them. Thread-safe: a {@link TemplateFollower} applies on its thread while workers look up on
 * theirs.
 *
 * <p>An account is <em>known</em> once its record has been applied: only then are its jobs checked.
 * Templates of an account without a record (a listing under way, or forgotten) are kept but not used.
 */
public final class TemplateCatalogue {

    /**
     * The record of an account's last complete listing, the value of its key.
     *
     * @param wabaId    the WhatsApp Business Account id
     * @param syncedAt  when the listing completed
     * @param templates templates listed
     * @param channel   the channel whose credential listed it
     */
    public record Account(String wabaId, Instant syncedAt, int templates, String channel) {
    }

    private final Map<String, TemplateDefinition> templates = new ConcurrentHashMap<>();
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    /** Applies one record of the topic: a definition, an account's record, or a tombstone of either. */
    public void apply(byte[] key, byte[] value) {
        if (key == null) {
            return;
        }
        String k = new String(key, StandardCharsets.UTF_8);
        if (TemplateKeys.isAccount(k)) {
            applyAccount(k, value);
        } else if (value == null) {
            templates.remove(k);
        } else {
            parse(value).filter(d -> d.key(TemplateKeys.accountOf(k)).equals(k))
                    .ifPresentOrElse(d -> templates.put(k, d), () -> templates.remove(k));
        }
    }

    /** The account, if it is known (its record applied). */
    public Optional<Account> account(String wabaId) {
        return Optional.ofNullable(accounts.get(wabaId));
    }

    /** The ids of the known accounts. */
    public Set<String> accounts() {
        return Set.copyOf(accounts.keySet());
    }

    /** The lookup of a known account's templates. */
    public Optional<TemplateLookup> lookup(String wabaId) {
        return account(wabaId).map(AccountLookup::new);
    }

    /** The template, whether or not its account is known. */
    public Optional<TemplateDefinition> find(String wabaId, String name, String language) {
        return Optional.ofNullable(templates.get(TemplateKeys.template(wabaId, name, language)));
    }

    /** The keys of an account's templates held now. */
    public Set<String> keys(String wabaId) {
        String prefix = wabaId + "/";
        return templates.keySet().stream().filter(k -> k.startsWith(prefix)).collect(Collectors.toSet());
    }

    /** Templates held, every account. */
    public int size() {
        return templates.size();
    }

    private void applyAccount(String wabaId, byte[] value) {
        if (value == null) {
            accounts.remove(wabaId);
            return;
        }
        try {
            JsonNode node = Json.mapper().readTree(value);
            String synced = TemplateDefinition.text(node.path("synced_at"));
            accounts.put(wabaId, new Account(wabaId, synced == null ? null : Instant.parse(synced),
                    node.path("templates").asInt(0), TemplateDefinition.text(node.path("channel"))));
        } catch (IOException | RuntimeException e) {
            accounts.remove(wabaId); // an unreadable record makes the account unknown: its jobs pass unchecked
        }
    }

    private static Optional<TemplateDefinition> parse(byte[] value) {
        try {
            return TemplateDefinition.parse(Json.mapper().readTree(value));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A known account's templates, read live. */
    private final class AccountLookup implements TemplateLookup {
        private final Account account;

        AccountLookup(Account account) {
            this.account = account;
        }

        @Override
        public String accountId() {
            return account.wabaId();
        }

        @Override
        public Instant syncedAt() {
            return account.syncedAt();
        }

        @Override
        public int size() {
            return keys(account.wabaId()).size();
        }

        @Override
        public Optional<TemplateDefinition> find(String name, String language) {
            return TemplateCatalogue.this.find(account.wabaId(), name, language);
        }

        @Override
        public SortedSet<String> languages(String name) {
            String prefix = account.wabaId() + "/" + name + "/";
            return templates.keySet().stream().filter(k -> k.startsWith(prefix))
                    .map(k -> k.substring(prefix.length())).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
