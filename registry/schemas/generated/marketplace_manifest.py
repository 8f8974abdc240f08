# Generated from registry/schemas/marketplace-manifest.json by `python -m registry.schemas.generate`
# (fastjsonschema 2.22.3); do not edit.
VERSION = "2.22.3"
import re
from . import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9]+(-[a-z0-9]+)*$': re.compile('^[a-z0-9]+(-[a-z0-9]+)*\\Z')
}

NoneType = type(None)

def validate_https___relay_dev_schemas_marketplace_manifest_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['name', 'plugins']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
            if isinstance(data__name, str):
                if not REGEX_PATTERNS['^[a-z0-9]+(-[a-z0-9]+)*$'].search(data__name):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must match pattern ^[a-z0-9]+(-[a-z0-9]+)*$")
        if "owner" in data_keys:
            data_keys.remove("owner")
            data__owner = data["owner"]
            if not isinstance(data__owner, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".owner must be object")
            data__owner_is_dict = isinstance(data__owner, dict)
            if data__owner_is_dict:
                data__owner__missing_keys = set(['name']) - data__owner.keys()
                if data__owner__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".owner must contain ")
                data__owner_keys = set(data__owner.keys())
                if "name" in data__owner_keys:
                    data__owner_keys.remove("name")
                    data__owner__name = data__owner["name"]
                    if not isinstance(data__owner__name, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".owner.name must be string")
        if "metadata" in data_keys:
            data_keys.remove("metadata")
            data__metadata = data["metadata"]
            if not isinstance(data__metadata, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata must be object")
        if "plugins" in data_keys:
            data_keys.remove("plugins")
            data__plugins = data["plugins"]
            if not isinstance(data__plugins, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins must be array")
            data__plugins_is_list = isinstance(data__plugins, (list, tuple))
            if data__plugins_is_list:
                data__plugins_len = len(data__plugins)
                for data__plugins_x, data__plugins_item in enumerate(data__plugins):
                    if not isinstance(data__plugins_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}]".format(**locals()) + " must be object")
                    data__plugins_item_is_dict = isinstance(data__plugins_item, dict)
                    if data__plugins_item_is_dict:
                        data__plugins_item__missing_keys = set(['name', 'source']) - data__plugins_item.keys()
                        if data__plugins_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}]".format(**locals()) + " must contain ")
                        data__plugins_item_keys = set(data__plugins_item.keys())
                        if "name" in data__plugins_item_keys:
                            data__plugins_item_keys.remove("name")
                            data__plugins_item__name = data__plugins_item["name"]
                            if not isinstance(data__plugins_item__name, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}].name".format(**locals()) + " must be string")
                            if isinstance(data__plugins_item__name, str):
                                if not REGEX_PATTERNS['^[a-z0-9]+(-[a-z0-9]+)*$'].search(data__plugins_item__name):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}].name".format(**locals()) + " must match pattern ^[a-z0-9]+(-[a-z0-9]+)*$")
                        if "source" in data__plugins_item_keys:
                            data__plugins_item_keys.remove("source")
                            data__plugins_item__source = data__plugins_item["source"]
                            data__plugins_item__source_any_of_count1 = 0
                            if not data__plugins_item__source_any_of_count1:
                                try:
                                    if not isinstance(data__plugins_item__source, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}].source".format(**locals()) + " must be string")
                                    if isinstance(data__plugins_item__source, str):
                                        data__plugins_item__source_len = len(data__plugins_item__source)
                                        if data__plugins_item__source_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}].source".format(**locals()) + " must be longer than or equal to 1 characters")
                                    data__plugins_item__source_any_of_count1 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__plugins_item__source_any_of_count1:
                                try:
                                    if not isinstance(data__plugins_item__source, (dict)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}].source".format(**locals()) + " must be object")
                                    data__plugins_item__source_any_of_count1 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__plugins_item__source_any_of_count1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}].source".format(**locals()) + " cannot be validated by any definition")
                        if "description" in data__plugins_item_keys:
                            data__plugins_item_keys.remove("description")
                            data__plugins_item__description = data__plugins_item["description"]
                            if not isinstance(data__plugins_item__description, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}].description".format(**locals()) + " must be string")
                        if "version" in data__plugins_item_keys:
                            data__plugins_item_keys.remove("version")
                            data__plugins_item__version = data__plugins_item["version"]
                            if not isinstance(data__plugins_item__version, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}].version".format(**locals()) + " must be string")
                        if "strict" in data__plugins_item_keys:
                            data__plugins_item_keys.remove("strict")
                            data__plugins_item__strict = data__plugins_item["strict"]
                            if not isinstance(data__plugins_item__strict, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".plugins[{data__plugins_x}].strict".format(**locals()) + " must be boolean")
    return data


validate = validate_https___relay_dev_schemas_marketplace_manifest_json
