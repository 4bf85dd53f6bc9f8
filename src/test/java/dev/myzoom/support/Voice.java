package dev.myzoom.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake microphone that talks: Chromium's own fake microphone beeps 20 ms in every 500, which a
 * media server's talk detection (an average level over most of a second) rightly takes for
 * silence. This one plays a steady tone from a WAV file, which Chromium loops.
 */
public final class Voice {
    private static Path file;

    private Voice() {}

    /** The Chromium flag that makes a browser's fake microphone play the tone. */
    public static synchronized String flag() {
        if (file == null) {
            file = write();
        }
        return "--use-file-for-fake-audio-capture=" + file;
    }

    // 2 s of a 440 Hz tone at a quarter of full scale (-12 dBFS): 48 kHz, 16-bit, mono PCM.
    private static Path write() {
        int rate = 48_000;
        int samples = rate * 2;
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
        wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes()).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) (Math.sin(2 * Math.PI * 440 * i / rate) * Short.MAX_VALUE / 4));
        }
        try {
            Path path = Files.createTempFile("myzoom-voice-", ".wav");
            path.toFile().deleteOnExit();
            Files.write(path, wav.array());
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
