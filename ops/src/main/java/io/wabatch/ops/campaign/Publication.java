package io.wabatch.ops.campaign;

import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.kafka.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What {@code wabatch campaign publish} writes, in one transaction: the campaign's jobs to {@code wa.jobs},
 * keyed {@code <campaign>-000001} on, and its {@code running} command with the recipient count and policy
 * to {@code wa.control}.
 */
public final class Publication {

    private Publication() {
    }

    /**
     * @param source the CSV's file name, for the command's reason
     */
    public static List<ProducerRecord<byte[], byte[]>> records(TopicNames topics, String campaign, CampaignCsv.Plan plan,
                                                               String source, CampaignPolicy policy, Instant at) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int n = 0;
        for (byte[] job : plan.jobs()) {
            String key = String.format(Locale.ROOT, "%s-%06d", campaign, ++n);
            records.add(new ProducerRecord<>(topics.jobs(), key.getBytes(StandardCharsets.UTF_8), job));
        }
        records.add(new CampaignCommand(CampaignCommand.RUNNING, "published from " + source, "publish", at,
                (long) plan.recipients(), policy).toRecord(topics.control(), campaign));
        return records;
    }
}
