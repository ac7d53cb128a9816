package dev.digestflow.bench.corpus;

import java.util.List;

/**
 * One generated digest file and what it must yield.
 *
 * @param name file name in the inbox
 * @param format the format the ingest parser is expected to detect
 * @param bytes the file's content
 * @param titles every item's title, in file order
 * @param freshItems how many of them no earlier file carried: the documents this file adds to the index
 */
public record CorpusFile(String name, String format, byte[] bytes, List<String> titles, int freshItems) {

    public CorpusFile {
        titles = List.copyOf(titles);
    }

    public int items() {
        return titles.size();
    }

    public int duplicates() {
        return titles.size() - freshItems;
    }
}
