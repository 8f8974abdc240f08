# Generated from registry/schemas/frontmatter.portable.json by `python -m registry.schemas.generate`
# (fastjsonschema 2.22.3); do not edit.
VERSION = "2.22.3"
import re
from . import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9]+(-[a-z0-9]+)*$': re.compile('^[a-z0-9]+(-[a-z0-9]+)*\\Z')
}

NoneType = type(None)

def validate_https___relay_dev_schemas_frontmatter_portable_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['name', 'description']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be longer than or equal to 1 characters")
                if data__name_len > 64:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be shorter than or equal to 64 characters")
                if not REGEX_PATTERNS['^[a-z0-9]+(-[a-z0-9]+)*$'].search(data__name):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must match pattern ^[a-z0-9]+(-[a-z0-9]+)*$")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
            if isinstance(data__description, str):
                data__description_len = len(data__description)
                if data__description_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be longer than or equal to 1 characters")
                if data__description_len > 1024:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be shorter than or equal to 1024 characters")
        if "license" in data_keys:
            data_keys.remove("license")
            data__license = data["license"]
            if not isinstance(data__license, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".license must be string")
            if isinstance(data__license, str):
                data__license_len = len(data__license)
                if data__license_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".license must be longer than or equal to 1 characters")
        if "compatibility" in data_keys:
            data_keys.remove("compatibility")
            data__compatibility = data["compatibility"]
            if not isinstance(data__compatibility, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".compatibility must be string")
            if isinstance(data__compatibility, str):
                data__compatibility_len = len(data__compatibility)
                if data__compatibility_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".compatibility must be longer than or equal to 1 characters")
                if data__compatibility_len > 500:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".compatibility must be shorter than or equal to 500 characters")
        if "metadata" in data_keys:
            data_keys.remove("metadata")
            data__metadata = data["metadata"]
            if not isinstance(data__metadata, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata must be object")
            data__metadata_is_dict = isinstance(data__metadata, dict)
            if data__metadata_is_dict:
                data__metadata_keys = set(data__metadata.keys())
                for data__metadata_key in data__metadata_keys:
                    if data__metadata_key not in []:
                        data__metadata_value = data__metadata.get(data__metadata_key)
                        if not isinstance(data__metadata_value, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata.{data__metadata_key}".format(**locals()) + " must be string")
                data__metadata_len = len(data__metadata)
                if data__metadata_len != 0:
                    data__metadata_property_names = True
                    for data__metadata_key in data__metadata:
                        try:
                            if not isinstance(data__metadata_key, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata must be string")
                            if isinstance(data__metadata_key, str):
                                data__metadata_key_len = len(data__metadata_key)
                                if data__metadata_key_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata must be longer than or equal to 1 characters")
                        except (JsonSchemaValueException, JsonSchemaValuesException):
                            data__metadata_property_names = False
                    if not data__metadata_property_names:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata must be named by propertyName definition")
        if "allowed-tools" in data_keys:
            data_keys.remove("allowed-tools")
            data__allowedtools = data["allowed-tools"]
            if not isinstance(data__allowedtools, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".allowed-tools must be string")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data


validate = validate_https___relay_dev_schemas_frontmatter_portable_json
