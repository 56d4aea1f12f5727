package com.fcminiapp.kit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.kit.Caller;
import com.fcminiapp.kit.Files;
import com.fcminiapp.kit.UserFiles;

import java.util.List;
import java.util.Objects;

/**
 * The users' files of an app function: the db function's FileService, whose OSS clients are built on the first
 * file operation (see OssConnections). Without OSS_BUCKET there are none: each operation is refused, and the log
 * line names OSS_BUCKET.
 */
final class KitFiles implements Files {

    static final String NO_BUCKET = "OSS_BUCKET is missing: this function has no files (set OSS_BUCKET and "
            + "OSS_ENDPOINT to use them)";

    private final FileService service;

    /** @param service null when the function has no bucket */
    KitFiles(FileService service) {
        this.service = service;
    }

    @Override
    public UserFiles of(Caller caller) {
        return new Folder(Objects.requireNonNull(caller, "caller").uid());
    }

    @Override
    public UserFiles of(String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("uid is missing");
        }
        return new Folder(uid);
    }

    private FileService service() {
        if (service == null) {
            throw new ConfigException(List.of(NO_BUCKET));
        }
        return service;
    }

    /** One user's folder, {@code users/<uid>/}. */
    private final class Folder implements UserFiles {
        private final String uid;

        Folder(String uid) {
            this.uid = uid;
        }

        @Override
        public ObjectNode uploadPolicy(String path, String contentType, Long maxBytes) {
            return service().uploadPolicy(uid, path, contentType, maxBytes);
        }

        @Override
        public ObjectNode downloadUrl(String path) {
            return service().downloadUrl(uid, path);
        }
    }
}
