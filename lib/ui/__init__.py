"""The only part of ``lib`` that imports Streamlit: state and widgets shared by the pages."""
