require 'yaml'

module TodoSync
  DEFAULTS = {
    'tags' => %w[TODO FIXME HACK XXX],
    'ignore' => %w[node_modules/** vendor/** .git/** dist/** TODO.md],
    'output' => 'TODO.md'
  }.freeze

  def self.settings
    user_file = File.join(Dir.home, '.config', 'todo-sync', 'config.yml')
    user = File.exist?(user_file) ? (YAML.safe_load(File.read(user_file)) || {}) : {}
    DEFAULTS.merge(user)
  end
end
