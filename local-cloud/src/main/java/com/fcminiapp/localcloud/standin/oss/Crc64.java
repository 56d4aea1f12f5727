package com.fcminiapp.localcloud.standin.oss;

/** CRC-64/ECMA-182 as OSS reports it in {@code x-oss-hash-crc64ecma} (reflected, all-ones init and final xor). */
final class Crc64 {

    private static final long POLY = 0xC96C5795D7870F42L;
    private static final long[] TABLE = new long[256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLE[n] = crc;
        }
    }

    private long value = ~0L;

    void update(byte[] bytes, int offset, int length) {
        long crc = value;
        for (int i = offset; i < offset + length; i++) {
            crc = TABLE[(int) ((crc ^ bytes[i]) & 0xFF)] ^ (crc >>> 8);
        }
        value = crc;
    }

    /** The checksum so far as the unsigned decimal OSS sends. */
    String unsignedValue() {
        return Long.toUnsignedString(~value);
    }
}
