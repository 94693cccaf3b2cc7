package io.wabatch.common.api;

import java.util.Objects;

/**
 * The API's answer to an upload: the media id to send by. Valid for 30 days from upload (facts §1).
 *
 * @param mediaId the {@code id} the API assigned
 */
public record MediaUploaded(String mediaId) {

    public MediaUploaded {
        Objects.requireNonNull(mediaId, "mediaId");
    }
}
