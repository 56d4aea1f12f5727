import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * The bare handler as FcRunner's "upstream alone" of the checkin row: each kit request is followed, in the same JVM,
 * by one through BareCheckinHandler, so the two warm figures share the JIT state, the heap and the machine's load.
 * It checks in as the user whose session id is in BENCH_SID (the script's third user of the run), so after its first
 * request it takes the same-day path the kit's warm requests take.
 */
public final class BareCheckinUpstream implements IntConsumer {
    private final BareCheckinHandler handler = new BareCheckinHandler();
    private final com.aliyun.fc.runtime.Context context;
    private final byte[] event;

    public BareCheckinUpstream(Object context) {
        this.context = (com.aliyun.fc.runtime.Context) context;
        handler.initialize(this.context);
        event = ("{\"sid\":\"" + System.getenv("BENCH_SID") + "\",\"input\":{}}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void accept(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!out.toString(StandardCharsets.UTF_8).startsWith("{\"data\":{\"checkedIn\":")) {
            throw new IllegalStateException("bare check-in answered " + out.toString(StandardCharsets.UTF_8));
        }
    }
}
