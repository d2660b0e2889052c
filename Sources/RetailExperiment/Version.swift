/// The version that every output records.
public enum RetailSimVersion {
    public static let string = "0.23.0"
}
