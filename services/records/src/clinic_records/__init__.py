"""The clinical records service: the patient's clinical history, signed and audited."""
