package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `fun validate` (Funcraft 3.6.24) on a template, and the one gap in its schema: it knows no
 * {@code ALIYUN::OTS::SearchIndex} (its bundled ROS schemas predate the type), so a template's search indexes are taken
 * out before it validates the rest, and its errors on the whole template are checked to name only them.
 */
final class FunValidate {

    static final String SEARCH_INDEX = "ALIYUN::OTS::SearchIndex";
    /** An error line of fun: {@code fun ERR! <kind> Resources/<name>/...: <message>}, colours stripped. */
    private static final Pattern ERROR = Pattern.compile("ERR!\\s+\\S+\\s+Resources/([^/:\\s]+)");
    private static final Pattern COLOUR = Pattern.compile("\u001b\\[[0-9;]*m");

    private FunValidate() {
    }

    /** {@code fun validate} on {@code template} written to a temporary file. */
    static DeployFiles.Run validate(String template) throws Exception {
        Path file = Files.createTempFile("template-changed", ".yml");
        try {
            Files.writeString(file, template);
            return DeployFiles.tool("fun", Map.of(), "validate", "-t", file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The search index resources of a template, in its order. */
    static List<String> searchIndexResources(JsonNode template) {
        List<String> out = new ArrayList<>();
        template.path("Resources").fields().forEachRemaining(r -> {
            if (SEARCH_INDEX.equals(r.getValue().path("Type").asText())) {
                out.add(r.getKey());
            }
        });
        return out;
    }

    /** The resources fun's error lines name, in the order it names them first. */
    static List<String> errorResources(DeployFiles.Run run) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = ERROR.matcher(COLOUR.matcher(run.stdout + run.stderr).replaceAll(""));
        while (m.find()) {
            out.add(m.group(1));
        }
        return new ArrayList<>(out);
    }

    /**
     * The template's text without its search index resources (each a resource key line at indentation 2 whose Type
     * is {@link #SEARCH_INDEX}, up to the next line at indentation 2 or less) and without their names in DependsOn.
     */
    static String withoutSearchIndexes(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher key = Pattern.compile("^  ([A-Za-z0-9]+):$").matcher(lines.get(i));
            if (key.matches() && i + 1 < lines.size() && lines.get(i + 1).trim().equals("Type: '" + SEARCH_INDEX + "'")) {
                names.add(key.group(1));
                int end = i + 1;
                while (end < lines.size() && (lines.get(end).startsWith("   ") || lines.get(end).isEmpty())) {
                    end++;
                }
                lines.subList(i, end).clear();
                i--;
            }
        }
        String out = String.join("\n", lines);
        for (String name : names) {
            out = out.replace(", " + name + "]", "]").replace(", " + name + ",", ",");
        }
        return out;
    }
}
