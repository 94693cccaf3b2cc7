package io.wabatch.upload.media;

/**
 * A media id for a link, with what was uploaded.
 *
 * @param shareable false when the origin forbade sharing (no-store, private): not reused by other jobs
 * @param campaign  the only campaign that may reuse it when the origin sent no caching headers, else null
 */
public record UploadedMedia(String mediaId, String mimeType, String sha256, long size, String filename,
                            boolean shareable, String campaign) {

    /** True when a job of {@code campaignId} may use this id too. */
    public boolean reusableBy(String campaignId) {
        return shareable && (campaign == null || campaign.equals(campaignId));
    }
}
