using System.Text.Json.Serialization;

namespace SecForge.Curation.Sources;

/// <summary>Why a record could not be read: a code stats group by; the record's message says the rest.</summary>
public enum SourceFailure
{
    /// <summary>The file could not be opened or read.</summary>
    [JsonStringEnumMemberName("unreadable-file")]
    UnreadableFile,

    /// <summary>The record (a line, a WARC record, a file, a text cell) is over the record size limit.</summary>
    [JsonStringEnumMemberName("record-too-large")]
    RecordTooLarge,

    /// <summary>A record so large that skipping it is unsafe (a decompression bomb?): the rest of the file is skipped.</summary>
    [JsonStringEnumMemberName("too-large-to-skip")]
    TooLargeToSkip,

    /// <summary>Gzip or Zstandard data that does not decompress.</summary>
    [JsonStringEnumMemberName("corrupt-compression")]
    CorruptCompression,

    /// <summary>The file ends inside a record.</summary>
    [JsonStringEnumMemberName("truncated")]
    Truncated,

    [JsonStringEnumMemberName("invalid-utf8")]
    InvalidUtf8,

    [JsonStringEnumMemberName("invalid-json")]
    InvalidJson,

    /// <summary>Valid JSON, but not an object.</summary>
    [JsonStringEnumMemberName("not-an-object")]
    NotAnObject,

    /// <summary>The text field or column is missing, null or not text.</summary>
    [JsonStringEnumMemberName("missing-text")]
    MissingText,

    [JsonStringEnumMemberName("malformed-warc")]
    MalformedWarc,

    [JsonStringEnumMemberName("malformed-http")]
    MalformedHttp,

    /// <summary>A Parquet file or row group that cannot be read.</summary>
    [JsonStringEnumMemberName("unreadable-parquet")]
    UnreadableParquet,

    /// <summary>A PDF (or other document) whose text cannot be read.</summary>
    [JsonStringEnumMemberName("unreadable-document")]
    UnreadableDocument,

    /// <summary>Extraction ran past its time budget.</summary>
    [JsonStringEnumMemberName("extract-time-budget")]
    ExtractTimeBudget,

    /// <summary>The page nests deeper than the extractor follows.</summary>
    [JsonStringEnumMemberName("extract-nesting")]
    ExtractNesting,

    /// <summary>Extraction failed otherwise.</summary>
    [JsonStringEnumMemberName("extract-failed")]
    ExtractFailed,
}
