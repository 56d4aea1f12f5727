package com.fcminiapp.common.fc;

import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/** Reads a request body or event without ever holding more than the limit plus one buffer. */
public final class BoundedBody {

    private BoundedBody() {
    }

    /**
     * @throws ApiException PAYLOAD_TOO_LARGE past {@code maxBytes}
     */
    public static byte[] read(InputStream in, int maxBytes) throws IOException {
        return read(in, maxBytes, () -> tooLarge(maxBytes));
    }

    /** As {@link #read(InputStream, int)}, failing with the caller's own PAYLOAD_TOO_LARGE answer. */
    public static byte[] read(InputStream in, int maxBytes, Supplier<ApiException> tooLarge) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            if (out.size() > maxBytes) {
                throw tooLarge.get();
            }
        }
        return out.toByteArray();
    }

    public static ApiException tooLarge(int maxBytes) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                "The request is over " + maxBytes + " bytes; send only the contract's fields.");
    }
}
