package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.Options;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * local-cloud running the real function jars of template.yml changed to serve two data tables, todo_list and notes
 * (notes declared private in DATA_TABLES, a second table resource; the db role's table statement widened to every
 * table of the instance).
 */
final class TwoTableCloud {

    private TwoTableCloud() {
    }

    /** template.yml's DATA_TABLES as written: tables.json, compact and single-quoted. */
    private static String declared() throws Exception {
        return "'" + DeployFiles.JSON.readTree(DeployFiles.root().resolve("tables.json").toFile()) + "'";
    }

    /** The same declaration with a private table notes after the repository's tables. */
    private static String withNotes() throws Exception {
        ObjectNode tables = (ObjectNode) DeployFiles.JSON.readTree(DeployFiles.root().resolve("tables.json").toFile());
        tables.putObject("notes").put("mode", "private");
        return "'" + tables + "'";
    }

    /** Starts on a free port with data under {@code data}, the template written into {@code dir}, and {@code more} args. */
    static LocalCloud start(Path dir, Path data, String... more) throws Exception {
        Path template = dir.resolve("template.yml");
        if (!Files.exists(template)) {
            Files.writeString(template, Files.readString(DeployFiles.root().resolve("template.yml"))
                    .replace("CodeUri: ./", "CodeUri: " + DeployFiles.root().toAbsolutePath().normalize() + "/")
                    .replace("DATA_TABLES: " + declared(), "DATA_TABLES: " + withNotes())
                    .replace("/table/todo_list'", "/table/*'")
                    .replace("  TodoListTable:\n", "  NotesTable:\n    Type: 'ALIYUN::OTS::Table'\n"
                            + "    DependsOn: Tablestore\n    Properties:\n      InstanceName:\n"
                            + "        Ref: TablestoreInstance\n      TableName: notes\n      PrimaryKey:\n"
                            + "        - Name: uid\n          Type: STRING\n        - Name: id\n          Type: STRING\n"
                            + "  TodoListTable:\n"));
        }
        List<String> args = new ArrayList<>(List.of("--port", "0", "--data", data.toString(), "--template",
                template.toString()));
        args.addAll(List.of(more));
        return LocalCloud.start(Options.parse(args.toArray(new String[0])), null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }
}
