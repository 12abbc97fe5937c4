"""The class charter: its rules, the engine that checks every text against them, the gate that
applies the class's severities when a student saves, signing, and posting windows."""
