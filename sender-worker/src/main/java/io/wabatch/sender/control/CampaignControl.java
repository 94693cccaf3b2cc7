package io.wabatch.sender.control;

import io.wabatch.common.control.CampaignCommand;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each campaign's state on this sender, from the compacted {@code wa.control} topic: running,
 * paused or cancelled. The send stage asks it before a job's first step and again just before the
 * API call, so a pause stops a campaign's requests within the control topic's read delay (a poll,
 * 200 ms) plus one ledger acknowledgement, while the other campaigns on the same channels go on.
 */
public final class CampaignControl {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignControl.class);

    private final Map<String, CampaignCommand> states = new ConcurrentHashMap<>();

    /** Applies a command read from {@code wa.control}; a cancelled campaign stays cancelled. */
    public void apply(String campaign, CampaignCommand command) {
        CampaignCommand before = states.get(campaign);
        if (before != null && before.cancelled() && !command.cancelled()) {
            LOG.warn("campaign {} is cancelled; ignoring a later '{}' by {}", campaign, command.state(), command.by());
            return;
        }
        CampaignCommand previous = states.put(campaign, command);
        if (previous == null || !previous.state().equals(command.state())) {
            LOG.info("campaign {} {} by {}{}", campaign, command.state(), command.by(),
                    command.reason() == null ? "" : ": " + command.reason());
        }
    }

    /** The campaign's latest state (running before any command; a job without campaign always runs). */
    public CampaignCommand current(String campaign) {
        return campaign == null ? CampaignCommand.initial() : states.getOrDefault(campaign, CampaignCommand.initial());
    }
}
