"""Reading case tables from CSV folders, Excel workbooks and Parquet files."""
